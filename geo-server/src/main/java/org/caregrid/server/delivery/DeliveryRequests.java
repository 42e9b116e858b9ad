package org.caregrid.server.delivery;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Medicine requests (送药到户) entered for a key person: what, how urgent, when, from which pharmacy.
 * They wait as {@code pending} for the dispatcher; a request is never deleted, it is cancelled with a
 * reason. Row-level security decides for which key persons the caller may enter one (a volunteer: only
 * those they look after).
 */
@Component
class DeliveryRequests {

    record NewRequest(Long keyPersonId, String items, Integer demand, String urgency, OffsetDateTime windowStart,
                      OffsetDateTime windowEnd, Long facilityId, String reason) {
    }

    /** The one change a request takes from outside dispatch: cancelling it, with a reason. */
    record RequestChange(String status, String reason) {
    }

    record Request(long id, long keyPersonId, String items, int demand, String urgency, OffsetDateTime windowStart,
                   OffsetDateTime windowEnd, Long facilityId, String status, String createdBy, OffsetDateTime createdAt,
                   int version) {
    }

    private static final String COLUMNS = """
            id, key_person_id, items, demand, urgency, window_start, window_end, facility_id, status, created_by,
            created_at, version
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    DeliveryRequests(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Blocking. */
    Request enter(NewRequest request, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (request.keyPersonId() == null) {
            faults.add(new ApiException.FieldFault("keyPersonId", "error.required"));
        }
        if (request.items() == null || request.items().isBlank()) {
            faults.add(new ApiException.FieldFault("items", "error.required"));
        }
        TextInput.check("items", request.items(), 500, faults);
        TextInput.check("reason", request.reason(), 500, faults);
        if (request.demand() != null && (request.demand() < 1 || request.demand() > 100)) {
            faults.add(new ApiException.FieldFault("demand", "error.range", 1, 100, request.demand()));
        }
        String urgency = request.urgency() == null ? "normal" : request.urgency();
        if (!List.of("normal", "urgent").contains(urgency)) {
            faults.add(new ApiException.FieldFault("urgency", "error.code", urgency, "normal, urgent"));
        }
        if (request.windowStart() != null && request.windowEnd() != null && !request.windowEnd().isAfter(request.windowStart())) {
            faults.add(new ApiException.FieldFault("windowEnd", "error.delivery.window"));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, request.reason());
            if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM key_person WHERE person_id = :id)").param("id", request.keyPersonId())
                    .query(Boolean.class).single()) {
                throw ApiException.notFound("error.keyPerson.notFound", request.keyPersonId());
            }
            if (request.facilityId() != null && !jdbc.sql("SELECT EXISTS (SELECT 1 FROM facility WHERE id = :id)")
                    .param("id", request.facilityId()).query(Boolean.class).single()) {
                throw ApiException.invalid("facilityId", "error.delivery.facility", request.facilityId());
            }
            return jdbc.sql("INSERT INTO delivery_request (key_person_id, items, demand, urgency, window_start, window_end, "
                            + "facility_id, created_by) VALUES (:person, :items, :demand, :urgency, :start, :end, :facility, :by) "
                            + "RETURNING " + COLUMNS)
                    .param("person", request.keyPersonId()).param("items", request.items().trim())
                    .param("demand", request.demand() == null ? 1 : request.demand()).param("urgency", urgency)
                    .param("start", request.windowStart()).param("end", request.windowEnd())
                    .param("facility", request.facilityId()).param("by", user.getUsername())
                    .query((rs, n) -> toRequest(rs)).single();
        });
    }

    /** Blocking. Only a request that nobody has started may be cancelled. */
    Request change(long id, RequestChange change, Integer expectedVersion) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (!"cancelled".equals(change.status())) {
            faults.add(new ApiException.FieldFault("status", "error.code", String.valueOf(change.status()), "cancelled"));
        }
        if (change.reason() == null || change.reason().isBlank()) {
            faults.add(new ApiException.FieldFault("reason", "error.required"));
        }
        TextInput.check("reason", change.reason(), 500, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            String current = jdbc.sql("SELECT status FROM delivery_request WHERE id = :id").param("id", id)
                    .query(String.class).optional()
                    .orElseThrow(() -> ApiException.notFound("error.delivery.notFound", id));
            if (!List.of("pending", "planned").contains(current)) {
                throw ApiException.conflict("error.delivery.notCancellable", id, current);
            }
            return jdbc.sql("UPDATE delivery_request SET status = 'cancelled' WHERE id = :id "
                            + "AND (CAST(:version AS integer) IS NULL OR version = :version) RETURNING " + COLUMNS)
                    .param("id", id).param("version", expectedVersion)
                    .query((rs, n) -> toRequest(rs)).optional()
                    .orElseThrow(() -> Versions.stale(true, "error.delivery.notFound", id));
        });
    }

    /** Blocking. */
    Request find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM delivery_request WHERE id = :id").param("id", id)
                .query((rs, n) -> toRequest(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.delivery.notFound", id));
    }

    /**
     * Blocking. A key person's requests, newest first; {@code openOnly}: those still pending or planned
     * (what the person's card lists with a cancel). Row-level security keeps other areas' out.
     */
    List<Request> forKeyPerson(long keyPersonId, boolean openOnly) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM delivery_request WHERE key_person_id = :person "
                        + "AND (NOT :open OR status IN ('pending', 'planned')) ORDER BY created_at DESC, id DESC")
                .param("person", keyPersonId).param("open", openOnly)
                .query((rs, n) -> toRequest(rs)).list();
    }

    private static Request toRequest(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Request(rs.getLong("id"), rs.getLong("key_person_id"), rs.getString("items"), rs.getInt("demand"),
                rs.getString("urgency"), rs.getObject("window_start", OffsetDateTime.class),
                rs.getObject("window_end", OffsetDateTime.class), (Long) rs.getObject("facility_id"),
                rs.getString("status"), rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getInt("version"));
    }
}
