package org.caregrid.server.dispatch;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishing a draft plan: its routes go to their volunteers (GET /api/my/route) and the requests on
 * them become {@code assigned}. A request cancelled since the plan was made stays cancelled and its stop
 * is withdrawn. Blocking: call on a JDBC thread.
 */
@Component
class PlanPublisher {

    record Published(long planId, String status, int version, LocalDate date, int routes, int assigned,
                     int withdrawn, OffsetDateTime publishedAt, String publishedBy) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;

    PlanPublisher(JdbcClient jdbc, TransactionTemplate transactions, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
    }

    private record Plan(String status, int version, LocalDate date, int routes) {
    }

    Published publish(long planId, Integer expectedVersion, String reason, CaregridUser user) {
        if (expectedVersion == null) {
            throw ApiException.invalid("If-Match", "error.ifMatch.required");
        }
        return transactions.execute(tx -> {
            ChangeReason.set(jdbc, reason);
            // row-level security shows a plan only to those who see everyone it names: 404 otherwise
            Plan plan = jdbc.sql("""
                    SELECT rp.status, rp.version, rp.service_date,
                           (SELECT count(*) FROM route ro WHERE ro.plan_id = rp.id)::int AS routes
                      FROM route_plan rp WHERE rp.id = :id AND rp.kind = 'delivery' FOR UPDATE OF rp""")
                    .param("id", planId)
                    .query((rs, n) -> new Plan(rs.getString("status"), rs.getInt("version"),
                            rs.getObject("service_date", LocalDate.class), rs.getInt("routes")))
                    .optional().orElseThrow(() -> ApiException.notFound("error.dispatch.planNotFound", planId));
            if (plan.version() != expectedVersion) {
                throw Versions.stale(true, "error.dispatch.planNotFound", planId);
            }
            if (!"draft".equals(plan.status())) {
                throw ApiException.conflict("error.dispatch.publishNotDraft", planId, plan.status());
            }
            if (plan.date().isBefore(today.date())) {
                throw ApiException.conflict("error.dispatch.publishPast", planId, plan.date());
            }
            if (plan.routes() == 0) {
                throw ApiException.conflict("error.dispatch.nothingToPublish", planId);
            }
            int withdrawn = jdbc.sql("""
                    UPDATE route_stop s SET withdrawn_at = now()
                      FROM route ro, delivery_request r
                     WHERE ro.id = s.route_id AND ro.plan_id = :id AND r.id = s.delivery_request_id
                       AND s.kind IN ('pickup', 'delivery') AND r.status <> 'planned'""").param("id", planId).update();
            int assigned = jdbc.sql("""
                    UPDATE delivery_request r SET status = 'assigned'
                      FROM route_stop s JOIN route ro ON ro.id = s.route_id
                     WHERE ro.plan_id = :id AND s.delivery_request_id = r.id AND s.kind = 'delivery'
                       AND s.withdrawn_at IS NULL AND r.status = 'planned'""").param("id", planId).update();
            return jdbc.sql("""
                    UPDATE route_plan SET status = 'published', published_at = now(), published_by = :by
                     WHERE id = :id RETURNING version, published_at""")
                    .param("id", planId).param("by", user.getUsername())
                    .query((rs, n) -> new Published(planId, "published", rs.getInt("version"), plan.date(), plan.routes(),
                            assigned, withdrawn, rs.getObject("published_at", OffsetDateTime.class), user.getUsername()))
                    .single();
        });
    }
}
