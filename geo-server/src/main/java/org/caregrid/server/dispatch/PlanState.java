package org.caregrid.server.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.caregrid.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A plan's live state, for the dispatcher's screen to poll while a published plan is out: each delivery
 * stop's state (pending, delivered, failed with the reason, not_home, or withdrawn by a re-plan) with the
 * volunteer's time and note, and per route how many stops are done of how many. No names: the screen has
 * them from the plan itself. Its ETag is a digest of the answer, so an unchanged state costs a 304.
 */
@Component
class PlanState {

    /**
     * A delivery stop's state from its outcome ({@code o}) and stop ({@code s}); "refused" and
     * "unreachable" are failures, and their outcome is the reason. PlanReader shows the same.
     */
    static final String STOP_STATE = """
            CASE WHEN s.withdrawn_at IS NOT NULL THEN 'withdrawn'
                 WHEN o.outcome IS NULL THEN 'pending'
                 WHEN o.outcome IN ('refused', 'unreachable') THEN 'failed'
                 ELSE o.outcome END""";

    static final String FAILURE_REASON = "CASE WHEN o.outcome IN ('refused', 'unreachable') THEN o.outcome END";

    private static final String STATE = """
            WITH st AS (
              SELECT s.id, s.route_id, s.seq, s.delivery_request_id, o.at, o.note, %s AS state, %s AS reason
                FROM route_stop s JOIN route ro ON ro.id = s.route_id
                LEFT JOIN stop_outcome o ON o.stop_id = s.id
               WHERE ro.plan_id = :id AND s.kind = 'delivery'
            )
            SELECT json_build_object(
              'planId', rp.id, 'status', rp.status, 'version', rp.version,
              'routes', coalesce((SELECT json_agg(json_build_object('routeId', ro.id,
                          'done', (SELECT count(*) FROM st WHERE st.route_id = ro.id AND st.state NOT IN ('pending', 'withdrawn')),
                          'total', (SELECT count(*) FROM st WHERE st.route_id = ro.id AND st.state <> 'withdrawn'),
                          'finishedAt', ro.finished_at) ORDER BY ro.id)
                   FROM route ro WHERE ro.plan_id = rp.id), '[]'::json),
              'stops', coalesce((SELECT json_agg(json_build_object('stopId', st.id, 'routeId', st.route_id,
                          'requestId', st.delivery_request_id, 'state', st.state, 'failureReason', st.reason,
                          'at', st.at, 'note', st.note) ORDER BY st.route_id, st.seq) FROM st), '[]'::json)
            )::text
              FROM route_plan rp WHERE rp.id = :id AND rp.kind = 'delivery'
            """.formatted(STOP_STATE, FAILURE_REASON);

    /** A day's delivery plans that the caller sees whole, newest first, each with how far it has got. */
    private static final String PLANS = """
            SELECT coalesce(json_agg(json_build_object('planId', rp.id, 'status', rp.status, 'date', rp.service_date,
                     'createdAt', rp.created_at, 'publishedAt', rp.published_at,
                     'routes', (SELECT count(*) FROM route ro WHERE ro.plan_id = rp.id),
                     'done', (SELECT count(*) FROM route_stop s JOIN route ro ON ro.id = s.route_id
                               JOIN stop_outcome o ON o.stop_id = s.id
                              WHERE ro.plan_id = rp.id AND s.kind = 'delivery' AND s.withdrawn_at IS NULL),
                     'total', (SELECT count(*) FROM route_stop s JOIN route ro ON ro.id = s.route_id
                              WHERE ro.plan_id = rp.id AND s.kind = 'delivery' AND s.withdrawn_at IS NULL))
                     ORDER BY rp.published_at DESC NULLS LAST, rp.id DESC), '[]'::json)::text
              FROM route_plan rp
             WHERE rp.kind = 'delivery' AND rp.service_date = :day
               AND (CAST(:status AS text) IS NULL OR rp.status = :status)
            """;

    /** The answer and its ETag. */
    record State(String json, String etag) {
    }

    private final JdbcClient jdbc;

    PlanState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Blocking. 404 for a plan the caller does not see whole (row-level security, as {@link PlanReader#geoJson}). */
    State of(long planId) {
        String json = jdbc.sql(STATE).param("id", planId).query(String.class).optional()
                .orElseThrow(() -> ApiException.notFound("error.dispatch.planNotFound", planId));
        return new State(json, "\"" + digest(json) + "\"");
    }

    /** Blocking. No names: a plan's households are read (and logged) when it is opened. */
    String plans(java.time.LocalDate day, String status) {
        return jdbc.sql(PLANS).param("day", day).param("status", status).query(String.class).single();
    }

    private static String digest(String json) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
