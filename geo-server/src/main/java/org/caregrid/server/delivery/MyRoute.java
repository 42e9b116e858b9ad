package org.caregrid.server.delivery;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.caregrid.server.config.Today;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Masking;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The volunteer's route of today: the published route assigned to the caller's person, its stops
 * numbered in order (the pickup first), what happened at each, and the next stop. PIPL: the household's
 * name, address, phone and items only while the route is active (published, for today, not finished);
 * afterwards each stop shows its building only. Row-level security enforces the same (V25). Blocking.
 */
@Component
class MyRoute {

    /** One stop. {@code number} counts the pickups and deliveries from 1; personal fields are null unless active. */
    record Stop(long stopId, int number, String kind, Long requestId, String facilityName, String buildingName,
                String buildingAddress, String personName, String address, String phone, String items, String urgency,
                double lat, double lon, OffsetDateTime arrival, String outcome, OffsetDateTime outcomeAt, String note) {
    }

    /**
     * @param state  {@code active}, {@code finished}, or {@code none} (no published route today)
     * @param nextStopId the first stop in order without an outcome; null when all are done
     */
    record Route(LocalDate date, String state, Long planId, Long routeId, String profile, Double distanceMeters,
                 Double durationSeconds, List<double[]> coordinates, List<Stop> stops, Long nextStopId, int remaining,
                 OffsetDateTime finishedAt) {
    }

    private record Header(long routeId, long planId, String profile, double distanceMeters, double durationSeconds,
                          OffsetDateTime finishedAt, String planStatus) {
    }

    private static final String ROUTE = """
            SELECT ro.id, ro.plan_id, ro.profile, ro.distance_m, ro.duration_s, ro.finished_at, rp.status
              FROM route ro JOIN route_plan rp ON rp.id = ro.plan_id
             WHERE ro.assignee_person_id = :me AND rp.kind = 'delivery' AND rp.status IN ('published', 'done')
               AND rp.service_date = :today
             ORDER BY ro.finished_at IS NULL DESC, rp.published_at DESC NULLS LAST, ro.id DESC
             LIMIT 1
            """;

    private static final String STOPS = """
            SELECT s.id, s.kind, s.delivery_request_id, s.arrival, f.name AS facility_name,
                   b.name AS building_name, b.address AS building_address,
                   p.name AS person_name, p.phone, concat_ws(' ', pb.address, pb.name, pu.number, p.room) AS address,
                   r.items, r.urgency, o.outcome, o.at AS outcome_at, o.note,
                   ST_Y(w.point) AS lat, ST_X(w.point) AS lon, p.id AS person_id
              FROM route_stop s
              LEFT JOIN facility f ON f.id = s.facility_id
              LEFT JOIN building b ON b.id = s.building_id
              LEFT JOIN person p ON p.id = s.person_id AND :active
              LEFT JOIN unit pu ON pu.id = p.unit_id
              LEFT JOIN building pb ON pb.id = p.building_id
              LEFT JOIN delivery_request r ON r.id = s.delivery_request_id AND :active
              LEFT JOIN stop_outcome o ON o.stop_id = s.id
             CROSS JOIN LATERAL (SELECT CASE WHEN :active OR s.kind = 'pickup' THEN s.location
                                             -- afterwards the building, or a point ~100 m coarse: never the home itself
                                             ELSE coalesce(b.entrance, ST_SnapToGrid(s.location, 0.001)) END AS point) w
             WHERE s.route_id = :route AND s.kind IN ('pickup', 'delivery') AND s.withdrawn_at IS NULL
             ORDER BY s.seq
            """;

    private final JdbcClient jdbc;
    private final Today today;

    MyRoute(JdbcClient jdbc, Today today) {
        this.jdbc = jdbc;
        this.today = today;
    }

    /** The road geometry as [lon, lat] pairs, for the map. */
    private List<double[]> coordinates(long routeId) {
        return jdbc.sql("SELECT ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat FROM route ro, ST_DumpPoints(ro.geom) d "
                        + "WHERE ro.id = :id ORDER BY d.path")
                .param("id", routeId).query((rs, n) -> new double[] {rs.getDouble("lon"), rs.getDouble("lat")}).list();
    }

    /** The route, and the households it showed by name (for the audit log). */
    record Shown(Route route, List<Long> persons) {
    }

    Shown today(CaregridUser user) {
        LocalDate day = today.date();
        if (user.personId() == null) {
            return new Shown(new Route(day, "none", null, null, null, null, null, null, List.of(), null, 0, null), List.of());
        }
        Header header = jdbc.sql(ROUTE).param("me", user.personId()).param("today", day)
                .query((rs, n) -> new Header(rs.getLong("id"), rs.getLong("plan_id"), rs.getString("profile"),
                        rs.getDouble("distance_m"), rs.getDouble("duration_s"), rs.getObject("finished_at", OffsetDateTime.class), rs.getString("status")))
                .optional().orElse(null);
        if (header == null) {
            return new Shown(new Route(day, "none", null, null, null, null, null, null, List.of(), null, 0, null), List.of());
        }
        boolean active = header.finishedAt() == null && "published".equals(header.planStatus());
        boolean fullPhone = AccessPolicy.allows(user, Action.READ_PHONE);
        List<Long> persons = new ArrayList<>();
        List<Stop> stops = new ArrayList<>();
        jdbc.sql(STOPS).param("route", header.routeId()).param("active", active).query((rs, n) -> {
            Long person = (Long) rs.getObject("person_id");
            if (person != null) {
                persons.add(person);
            }
            String phone = rs.getString("phone");
            stops.add(new Stop(rs.getLong("id"), n + 1, rs.getString("kind"), (Long) rs.getObject("delivery_request_id"),
                    rs.getString("facility_name"), rs.getString("building_name"), rs.getString("building_address"),
                    rs.getString("person_name"), person == null ? null : rs.getString("address"),
                    phone == null || fullPhone ? phone : Masking.phone(phone), rs.getString("items"), rs.getString("urgency"),
                    rs.getDouble("lat"), rs.getDouble("lon"), rs.getObject("arrival", OffsetDateTime.class),
                    rs.getString("outcome"), rs.getObject("outcome_at", OffsetDateTime.class), active ? rs.getString("note") : null));
            return null;
        }).list();
        Long next = stops.stream().filter(s -> s.outcome() == null).map(Stop::stopId).findFirst().orElse(null);
        int remaining = (int) stops.stream().filter(s -> s.outcome() == null && "delivery".equals(s.kind())).count();
        Route route = new Route(day, active ? "active" : "finished", header.planId(), header.routeId(), header.profile(),
                header.distanceMeters(), header.durationSeconds(), coordinates(header.routeId()), stops, active ? next : null, remaining,
                header.finishedAt());
        return new Shown(route, persons.stream().filter(Objects::nonNull).distinct().toList());
    }
}
