package org.caregrid.server.service;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.caregrid.server.config.Today;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Volunteer service records (志愿服务记录): when the last stop of a route has its outcome the route is
 * finished and one record is written: the volunteer, the day, the minutes from the first outcome (the
 * pickup, when it was recorded) to the last, the kilometres of the route's road geometry, the households
 * served (delivered to) and the plan. Call-out duty (kind 'callout', written by the call-outs) and visits
 * by volunteers (kind 'visit') are service time too. Records are only ever added. Blocking: call on a JDBC thread,
 * inside the transaction of the outcome (or re-plan) that finishes the route.
 */
@Component
public class ServiceRecords {

    public record ServiceRecord(long id, long volunteerPersonId, LocalDate date, String kind, int minutes,
                                double distanceKm, int households, Long planId, Long routeId,
                                OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    /** A route is done when it has outcomes and every delivery stop still on it has one. */
    private static final String DONE = """
            SELECT EXISTS (SELECT 1 FROM stop_outcome o WHERE o.route_id = :route)
               AND NOT EXISTS (SELECT 1 FROM route_stop s
                                WHERE s.route_id = :route AND s.kind = 'delivery' AND s.withdrawn_at IS NULL
                                  AND NOT EXISTS (SELECT 1 FROM stop_outcome o WHERE o.stop_id = s.id))
            """;

    private static final String INSERT = """
            INSERT INTO service_record (volunteer_person_id, service_date, kind, minutes, distance_km, households,
                                        plan_id, route_id, started_at, finished_at)
            SELECT ro.assignee_person_id, rp.service_date, 'delivery',
                   round(extract(epoch FROM o.last - o.first) / 60)::int,
                   round((coalesce(ST_Length(ro.geom::geography), ro.distance_m) / 1000)::numeric, 2)::double precision,
                   o.households, ro.plan_id, ro.id, o.first, o.last
              FROM route ro JOIN route_plan rp ON rp.id = ro.plan_id,
                   LATERAL (SELECT min(x.at) AS first, max(x.at) AS last,
                                   count(DISTINCT s.person_id) FILTER (WHERE x.outcome = 'delivered')::int AS households
                              FROM stop_outcome x JOIN route_stop s ON s.id = x.stop_id
                             WHERE x.route_id = ro.id) o
             WHERE ro.id = :route
            RETURNING id
            """;

    private static final String COLUMNS = """
            id, volunteer_person_id, service_date, kind, minutes, distance_km, households, plan_id, route_id,
            started_at, finished_at
            """;

    /**
     * A visit by a volunteer, as service time: the configured minutes per visit, one household, no km.
     * Only when the visitor is a volunteer the caller sees (row-level security checks the insert the same
     * way), and never for a visit that a delivery wrote: the route's record already counts that time.
     */
    private static final String VISIT = """
            INSERT INTO service_record (volunteer_person_id, service_date, kind, minutes, distance_km, households,
                                        visit_id, started_at, finished_at)
            SELECT v.visitor_person_id, (v.visited_at AT TIME ZONE :zone)::date, 'visit', :minutes, 0, 1, v.id,
                   v.visited_at, v.visited_at + :minutes * interval '1 minute'
              FROM visit v
             WHERE v.id = :visit
               AND EXISTS (SELECT 1 FROM volunteer vo JOIN person p ON p.id = vo.person_id
                            WHERE vo.person_id = v.visitor_person_id)
               AND NOT EXISTS (SELECT 1 FROM stop_outcome o WHERE o.visit_id = v.id)
            ON CONFLICT (visit_id) DO NOTHING
            """;

    private final JdbcClient jdbc;
    private final SubsidyProperties subsidy;
    private final Today today;

    ServiceRecords(JdbcClient jdbc, SubsidyProperties subsidy, Today today) {
        this.jdbc = jdbc;
        this.subsidy = subsidy;
        this.today = today;
    }

    /** Writes the service record of a visit just recorded, when its visitor is a volunteer (see {@link #VISIT}). */
    public void visitRecorded(long visitId) {
        jdbc.sql(VISIT).param("zone", today.zone().getId()).param("minutes", subsidy.visitMinutes())
                .param("visit", visitId).update();
    }

    /**
     * Finishes the route and writes its service record when every stop on it has an outcome; the route's
     * row must be locked by the caller. Answers the new record's id.
     */
    public Optional<Long> finishIfDone(long routeId) {
        boolean done = jdbc.sql(DONE).param("route", routeId).query(Boolean.class).single();
        boolean open = jdbc.sql("SELECT finished_at IS NULL FROM route WHERE id = :route").param("route", routeId)
                .query(Boolean.class).optional().orElse(false);
        if (!done || !open) {
            return Optional.empty();
        }
        // the record first: once the route is finished, its households are no longer the volunteer's to see
        long id = jdbc.sql(INSERT).param("route", routeId).query(Long.class).single();
        jdbc.sql("UPDATE route SET finished_at = now() WHERE id = :route").param("route", routeId).update();
        return Optional.of(id);
    }

    /** The records of one volunteer between two days (inclusive), oldest first. */
    public List<ServiceRecord> between(long volunteerPersonId, LocalDate from, LocalDate to) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM service_record WHERE volunteer_person_id = :v "
                        + "AND service_date BETWEEN :from AND :to ORDER BY service_date, id")
                .param("v", volunteerPersonId).param("from", from).param("to", to)
                .query((rs, n) -> new ServiceRecord(rs.getLong("id"), rs.getLong("volunteer_person_id"),
                        rs.getObject("service_date", LocalDate.class), rs.getString("kind"), rs.getInt("minutes"),
                        rs.getDouble("distance_km"), rs.getInt("households"), (Long) rs.getObject("plan_id"),
                        (Long) rs.getObject("route_id"), rs.getObject("started_at", OffsetDateTime.class),
                        rs.getObject("finished_at", OffsetDateTime.class)))
                .list();
    }
}
