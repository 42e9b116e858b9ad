package org.caregrid.server.delivery;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.service.ServiceRecords;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What happened at a stop, recorded by the volunteer of the route, once per stop. The phone sends an
 * idempotency key with each outcome: the same key sent again (an offline queue, a lost answer) finds
 * the stored outcome and answers it unchanged. A delivery marks the request delivered and counts as a
 * door visit (上门) in the visit ledger, by the volunteer, so the visits metric moves; "not at home"
 * puts the request back to pending for the next plan; refused and could-not-reach mark it failed with
 * the reason. The last outcome of a route finishes it and writes the service record. Blocking.
 */
@Component
class StopOutcomes {

    /** Outcomes of a delivery stop, with the request's status each leads to. */
    static final Map<String, String> DELIVERY_OUTCOMES = Map.of(
            "delivered", "delivered", "not_home", "pending", "refused", "failed", "unreachable", "failed");

    static final String PICKED_UP = "picked_up";

    /** Clocks of phones differ a little; an outcome further in the future than this is a mistake. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    record NewOutcome(String outcome, String note, OffsetDateTime at, String key) {
    }

    /** The stored outcome; a replay of its key answers exactly this. */
    record Outcome(long id, long stopId, long routeId, Long requestId, String outcome, String note, OffsetDateTime at,
                   String key, Long visitId, OffsetDateTime recordedAt) {
    }

    /** The answer, and whether it was a replay of a key already stored. */
    record Recorded(Outcome outcome, boolean replayed) {
    }

    private record StopRow(long stopId, long routeId, String kind, Long requestId, Long personId, boolean withdrawn,
                           boolean finished, String planStatus, LocalDate date) {
    }

    private static final String OUTCOME_COLUMNS = """
            id, stop_id, route_id, delivery_request_id, outcome, note, at, idempotency_key, visit_id, recorded_at
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;
    private final AuditLog auditLog;
    private final ServiceRecords serviceRecords;

    StopOutcomes(JdbcClient jdbc, TransactionTemplate transactions, Today today, AuditLog auditLog,
                 ServiceRecords serviceRecords) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
        this.auditLog = auditLog;
        this.serviceRecords = serviceRecords;
    }

    static void validate(NewOutcome outcome) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        String known = "picked_up, delivered, not_home, refused, unreachable";
        if (outcome.outcome() == null || !(DELIVERY_OUTCOMES.containsKey(outcome.outcome()) || PICKED_UP.equals(outcome.outcome()))) {
            faults.add(new ApiException.FieldFault("outcome", "error.route.outcome", String.valueOf(outcome.outcome()), known));
        }
        if (outcome.key() == null || !outcome.key().matches("[A-Za-z0-9_.:-]{8,100}")) {
            faults.add(new ApiException.FieldFault("key", "error.route.key", String.valueOf(outcome.key())));
        }
        if (outcome.at() != null && outcome.at().isAfter(OffsetDateTime.now().plus(CLOCK_SKEW))) {
            faults.add(new ApiException.FieldFault("at", "error.route.future"));
        }
        TextInput.check("note", outcome.note(), 1000, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
    }

    Recorded record(long stopId, NewOutcome outcome, CaregridUser user) {
        validate(outcome);
        if (user.personId() == null) {
            throw ApiException.notFound("error.route.stopNotFound", stopId);
        }
        return transactions.execute(tx -> {
            // the route's row is locked: outcomes of one route (and resent keys) take turns
            StopRow stop = jdbc.sql("""
                    SELECT s.id, s.route_id, s.kind, s.delivery_request_id, s.person_id, s.withdrawn_at IS NOT NULL AS withdrawn,
                           ro.finished_at IS NOT NULL AS finished, rp.status, rp.service_date
                      FROM route_stop s JOIN route ro ON ro.id = s.route_id JOIN route_plan rp ON rp.id = ro.plan_id
                     WHERE s.id = :stop AND ro.assignee_person_id = :me AND rp.status IN ('published', 'done')
                       FOR UPDATE OF ro""")
                    .param("stop", stopId).param("me", user.personId())
                    .query((rs, n) -> new StopRow(rs.getLong("id"), rs.getLong("route_id"), rs.getString("kind"),
                            (Long) rs.getObject("delivery_request_id"), (Long) rs.getObject("person_id"),
                            rs.getBoolean("withdrawn"), rs.getBoolean("finished"), rs.getString("status"),
                            rs.getObject("service_date", LocalDate.class)))
                    .optional().orElseThrow(() -> ApiException.notFound("error.route.stopNotFound", stopId));
            Outcome earlier = jdbc.sql("SELECT " + OUTCOME_COLUMNS + " FROM stop_outcome "
                            + "WHERE volunteer_person_id = :me AND idempotency_key = :key")
                    .param("me", user.personId()).param("key", outcome.key())
                    .query((rs, n) -> toOutcome(rs)).optional().orElse(null);
            if (earlier != null) {
                if (earlier.stopId() != stopId) {
                    throw ApiException.conflict("error.route.keyReused", outcome.key());
                }
                return new Recorded(earlier, true);
            }
            if (stop.withdrawn()) {
                throw ApiException.conflict("error.route.withdrawn", stopId);
            }
            if (stop.finished() || !"published".equals(stop.planStatus()) || !stop.date().equals(today.date())) {
                throw ApiException.conflict("error.route.notActive", stopId);
            }
            boolean pickup = "pickup".equals(stop.kind());
            if (pickup != PICKED_UP.equals(outcome.outcome()) || !pickup && !"delivery".equals(stop.kind())) {
                throw ApiException.invalid("outcome", "error.route.outcome", outcome.outcome(),
                        pickup ? PICKED_UP : "delivered, not_home, refused, unreachable");
            }
            String already = jdbc.sql("SELECT outcome FROM stop_outcome WHERE stop_id = :stop").param("stop", stopId)
                    .query(String.class).optional().orElse(null);
            if (already != null) {
                throw ApiException.conflict("error.route.alreadyRecorded", stopId, already);
            }
            OffsetDateTime at = outcome.at() == null ? OffsetDateTime.now() : outcome.at();
            // hours are paid and visits counted from these times: none long before the route's day (the
            // day before is let through for a phone whose clock or queue straddled midnight)
            if (at.atZoneSameInstant(today.zone()).toLocalDate().isBefore(stop.date().minusDays(1))) {
                throw ApiException.invalid("at", "error.route.beforeRoute", stop.date().minusDays(1));
            }
            Long visitId = pickup ? null : applyToRequest(stop, outcome, at, user);
            Outcome stored = jdbc.sql("""
                    INSERT INTO stop_outcome (stop_id, route_id, delivery_request_id, volunteer_person_id, outcome, note, at,
                                              idempotency_key, visit_id, recorded_by)
                    VALUES (:stop, :route, :request, :me, :outcome, :note, :at, :key, :visit, :by)
                    RETURNING\s""" + OUTCOME_COLUMNS)
                    .param("stop", stopId).param("route", stop.routeId()).param("request", pickup ? null : stop.requestId())
                    .param("me", user.personId()).param("outcome", outcome.outcome()).param("note", blankToNull(outcome.note()))
                    .param("at", at).param("key", outcome.key()).param("visit", visitId).param("by", user.getUsername())
                    .query((rs, n) -> toOutcome(rs)).single();
            serviceRecords.finishIfDone(stop.routeId());
            return new Recorded(stored, false);
        });
    }

    /** The request's new status; a delivery also goes into the visit ledger. Answers the visit's id. */
    private Long applyToRequest(StopRow stop, NewOutcome outcome, OffsetDateTime at, CaregridUser user) {
        String status = DELIVERY_OUTCOMES.get(outcome.outcome());
        ChangeReason.set(jdbc, outcome.note() == null || outcome.note().isBlank() ? outcome.outcome()
                : outcome.outcome() + ": " + outcome.note());
        // only a request still assigned to this route: one re-planned or cancelled meanwhile is not overwritten
        int applied = jdbc.sql("UPDATE delivery_request SET status = :status, failure_reason = :reason "
                        + "WHERE id = :id AND status = 'assigned'")
                .param("status", status).param("reason", "failed".equals(status) ? outcome.outcome() : null)
                .param("id", stop.requestId()).update();
        if (applied == 0) {
            throw ApiException.conflict("error.route.withdrawn", stop.stopId());
        }
        auditLog.personAction(user, "record_delivery", "POST /api/my/route/stops/" + stop.stopId(), stop.personId(),
                Purpose.DISPATCH);
        if (!"delivered".equals(outcome.outcome())) {
            return null;
        }
        // two deliveries to one household at one instant are one door visit (one row: the unique index of V35)
        return jdbc.sql("""
                INSERT INTO visit (key_person_id, visitor_person_id, visited_at, method, findings, recorded_by)
                SELECT r.key_person_id, :me, :at, 'door', :findings, :by FROM delivery_request r WHERE r.id = :request
                ON CONFLICT DO NOTHING
                RETURNING id""")
                .param("me", user.personId()).param("at", at).param("findings", blankToNull(outcome.note()))
                .param("by", user.getUsername()).param("request", stop.requestId())
                .query(Long.class).optional()
                .orElseGet(() -> jdbc.sql("""
                        SELECT v.id FROM visit v JOIN delivery_request r ON r.key_person_id = v.key_person_id
                         WHERE r.id = :request AND v.visited_at = :at AND v.method = 'door' AND v.visitor_person_id = :me
                           AND v.duplicate_of IS NULL""")
                        .param("request", stop.requestId()).param("at", at).param("me", user.personId())
                        .query(Long.class).single());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static Outcome toOutcome(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Outcome(rs.getLong("id"), rs.getLong("stop_id"), rs.getLong("route_id"),
                (Long) rs.getObject("delivery_request_id"), rs.getString("outcome"), rs.getString("note"),
                rs.getObject("at", OffsetDateTime.class), rs.getString("idempotency_key"), (Long) rs.getObject("visit_id"),
                rs.getObject("recorded_at", OffsetDateTime.class));
    }
}
