package org.caregrid.server.dispatch;

import org.caregrid.server.web.ApiException;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A stored plan as GeoJSON: one LineString per route, one Point per stop, totals and the unassigned. */
@Component
class PlanReader {

    /** Everyone the plan names: the households served or left out, and the volunteers. */
    private static final String PERSONS = """
            SELECT s.person_id FROM route_stop s JOIN route ro ON ro.id = s.route_id
             WHERE ro.plan_id = :id AND s.person_id IS NOT NULL
            UNION
            SELECT r.key_person_id FROM route_plan_unassigned u JOIN delivery_request r ON r.id = u.delivery_request_id
             WHERE u.plan_id = :id
            """;

    private static final String PLAN = """
            WITH ro AS (
              SELECT ro.*, (row_number() OVER (ORDER BY ro.id) - 1)::int AS colour, vp.name AS volunteer_name
                FROM route ro JOIN person vp ON vp.id = ro.assignee_person_id WHERE ro.plan_id = :id
            ),
            st AS (
              SELECT s.*, ro.colour, ro.assignee_person_id,
                     CASE WHEN s.kind = 'delivery'
                          THEN count(*) FILTER (WHERE s.kind = 'delivery') OVER (PARTITION BY s.route_id ORDER BY s.seq) END AS number,
                     r.items, r.urgency, r.demand, p.name AS person_name, %1$s AS address, f.name AS facility_name,
                     r.status AS request_status, o.outcome, o.at AS outcome_at, o.note AS outcome_note,
                     %2$s AS state, %3$s AS failure_reason
                FROM route_stop s JOIN ro ON ro.id = s.route_id
                LEFT JOIN stop_outcome o ON o.stop_id = s.id
                LEFT JOIN delivery_request r ON r.id = s.delivery_request_id
                LEFT JOIN person p ON p.id = r.key_person_id
                LEFT JOIN unit pu ON pu.id = p.unit_id
                LEFT JOIN building pb ON pb.id = p.building_id
                LEFT JOIN facility f ON f.id = s.facility_id
            )
            SELECT json_build_object(
              'type', 'FeatureCollection',
              'plan', json_build_object('id', rp.id, 'status', rp.status, 'version', rp.version,
                        'date', rp.service_date, 'publishedAt', rp.published_at, 'createdAt', rp.created_at,
                        'createdBy', rp.created_by, 'parameters', rp.parameters,
                        'totalDistanceMeters', rp.total_distance_m, 'totalDurationSeconds', rp.total_duration_s,
                        'routes', (SELECT count(*) FROM ro),
                        'planned', (SELECT count(*) FROM st WHERE kind = 'delivery'),
                        'unassigned', (SELECT count(*) FROM route_plan_unassigned u WHERE u.plan_id = rp.id)),
              'features', coalesce((SELECT json_agg(feature ORDER BY sort1, sort2) FROM (
                  SELECT 0 AS sort1, ro.colour AS sort2, json_build_object('type', 'Feature',
                           'geometry', ST_AsGeoJSON(ro.geom, 7)::json,
                           'properties', json_build_object('type', 'route', 'routeId', ro.id, 'colour', ro.colour,
                               'volunteerPersonId', ro.assignee_person_id, 'volunteerName', ro.volunteer_name,
                               'profile', ro.profile, 'distanceMeters', ro.distance_m, 'durationSeconds', ro.duration_s,
                               'deliveries', (SELECT count(*) FROM st WHERE st.route_id = ro.id AND st.kind = 'delivery'),
                               'finishedAt', ro.finished_at))
                           AS feature
                    FROM ro
                  UNION ALL
                  SELECT 1, st.colour * 1000 + st.seq, json_build_object('type', 'Feature',
                           'geometry', ST_AsGeoJSON(st.location, 7)::json,
                           'properties', json_build_object('type', 'stop', 'routeId', st.route_id, 'colour', st.colour,
                               'volunteerPersonId', st.assignee_person_id, 'seq', st.seq, 'kind', st.kind,
                               'number', st.number, 'requestId', st.delivery_request_id, 'items', st.items,
                               'urgency', st.urgency, 'demand', st.demand, 'personName', st.person_name,
                               'address', CASE WHEN st.kind = 'delivery' THEN st.address END,
                               'facilityId', st.facility_id, 'facilityName', st.facility_name,
                               'arrival', st.arrival, 'stopId', st.id, 'requestStatus', st.request_status,
                               'outcome', st.outcome, 'outcomeAt', st.outcome_at, 'outcomeNote', st.outcome_note,
                               'state', CASE WHEN st.kind = 'delivery' THEN st.state END, 'failureReason', st.failure_reason,
                               'withdrawn', st.withdrawn_at IS NOT NULL))
                    FROM st) features), '[]'::json),
              'unassigned', coalesce((SELECT json_agg(json_build_object('requestId', u.delivery_request_id,
                               'reason', u.reason, 'items', r.items, 'urgency', r.urgency, 'personName', p.name,
                               'address', %1$s) ORDER BY u.delivery_request_id)
                    FROM route_plan_unassigned u JOIN delivery_request r ON r.id = u.delivery_request_id
                    JOIN person p ON p.id = r.key_person_id
                    LEFT JOIN unit pu ON pu.id = p.unit_id LEFT JOIN building pb ON pb.id = p.building_id
                   WHERE u.plan_id = rp.id), '[]'::json)
            )::text
              FROM route_plan rp WHERE rp.id = :id AND rp.kind = 'delivery'
            """.formatted(DispatchController.ADDRESS, PlanState.STOP_STATE, PlanState.FAILURE_REASON);

    private final JdbcClient jdbc;

    PlanReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The plan's version (its ETag); call after {@link #geoJson}, which answers 404 for a plan the caller does not see. */
    int version(long planId) {
        return jdbc.sql("SELECT version FROM route_plan WHERE id = :id").param("id", planId).query(Integer.class).single();
    }

    List<Long> persons(long planId) {
        return jdbc.sql(PERSONS).param("id", planId).query(Long.class).list();
    }

    /**
     * 404 for a plan that does not exist or names anyone outside the user's area: row-level security
     * shows a plan only to those who see everyone in it (V6__row_level_security.sql, route_plan).
     */
    String geoJson(long planId) {
        return jdbc.sql(PLAN).param("id", planId).query(String.class).optional()
                .orElseThrow(() -> ApiException.notFound("error.dispatch.planNotFound", planId));
    }
}
