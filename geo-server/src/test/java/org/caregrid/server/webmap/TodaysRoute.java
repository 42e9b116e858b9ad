package org.caregrid.server.webmap;

import java.time.LocalDate;

import javax.sql.DataSource;

import org.caregrid.server.support.Fixtures;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Today's delivery route for volunteer person 3 (log-in {@code volunteer_3}; {@code dispatcher} publishes it),
 * built by hand on fixtures/two-grids.sql + delivery-loop.sql (not yet published): two pickups at 甲药店 (one tap picks up both), then 李建国 in B1栋, then person 4
 * in A2栋. The phone-screen browser tests share it.
 *
 * @param planId       the plan to publish
 * @param firstStopId  the stop of the first delivery (李建国)
 */
record TodaysRoute(long planId, long firstStopId) {

    /** Loads the fixtures and the two log-ins, and builds the route. */
    static TodaysRoute load(DataSource dataSource, JdbcClient jdbc, PasswordEncoder encoder, LocalDate day) throws Exception {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        Fixtures.load(dataSource, "fixtures/delivery-loop.sql");
        Fixtures.user(jdbc, encoder, "dispatcher", "DISPATCHER", "510104020000", null, null);
        Fixtures.user(jdbc, encoder, "volunteer_3", "VOLUNTEER", "510104020000", null, 3L);
        return build(jdbc, day);
    }

    private static TodaysRoute build(JdbcClient jdbc, LocalDate day) {
        long plan = jdbc.sql("INSERT INTO route_plan (kind, solver, created_by, service_date) "
                + "VALUES ('delivery', 'test', 'test', :d) RETURNING id").param("d", day).query(Long.class).single();
        long route = jdbc.sql("""
                INSERT INTO route (plan_id, assignee_person_id, profile, geom, distance_m, duration_s)
                VALUES (:plan, 3, 'bike', ST_GeomFromText('LINESTRING(104.004 30.004, 104.003 30.003, 104.015 30.005, 104.004 30.004)', 4326),
                        2600, 1500) RETURNING id""").param("plan", plan).query(Long.class).single();
        for (int seq = 0; seq < 2; seq++) {
            jdbc.sql("""
                    INSERT INTO route_stop (route_id, seq, kind, facility_id, location)
                    VALUES (:r, :seq, 'pickup', 1, ST_SetSRID(ST_MakePoint(104.003, 30.003), 4326))""")
                    .param("r", route).param("seq", seq).update();
        }
        long first = delivery(jdbc, route, 2, 2, 3, 104.015, 30.005);
        delivery(jdbc, route, 3, 4, 2, 104.004, 30.004);
        return new TodaysRoute(plan, first);
    }

    private static long delivery(JdbcClient jdbc, long route, int seq, long person, long building, double lon, double lat) {
        long request = jdbc.sql("INSERT INTO delivery_request (key_person_id, items, status, created_by) "
                + "VALUES (:p, '降压药 1 盒', 'planned', 'test') RETURNING id").param("p", person).query(Long.class).single();
        return jdbc.sql("""
                INSERT INTO route_stop (route_id, seq, kind, delivery_request_id, person_id, building_id, location)
                VALUES (:r, :seq, 'delivery', :req, :p, :b, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) RETURNING id""")
                .param("r", route).param("seq", seq).param("req", request).param("p", person).param("b", building)
                .param("lon", lon).param("lat", lat).query(Long.class).single();
    }
}
