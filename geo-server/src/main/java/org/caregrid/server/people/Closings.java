package org.caregrid.server.people;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.vocabulary.Vocabulary;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closing a person in the register (销户: deceased, moved away) and reopening a mistaken closing. Nothing
 * is deleted: the person keeps their row with the day and the reason, and the history has both changes.
 * The closing day is the person's last day in the register: from the next day no coverage metric counts
 * them (V29__person_closing.sql), and in the same transaction their role assignments and those for them
 * (a 包保 of a key person who died) end on that day and their open delivery requests are cancelled, so a
 * deceased building head's building shows as a gap again. Reopening clears the closing only: what the
 * closing ended stays ended (the history lists it), to be appointed or requested again.
 */
@Component
class Closings {

    /** {@code on}: the last day in the register; {@code note}: free text for the history. */
    record Closing(String reason, LocalDate on, String note) {
    }

    record Reopening(String reason) {
    }

    /** The person's new version, and what the closing ended with them. */
    record Closed(long id, int version, LocalDate closedOn, String closedReason, int assignmentsEnded,
                  int requestsCancelled) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;

    Closings(JdbcClient jdbc, TransactionTemplate transactions, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
    }

    private record Current(LocalDate birthDate, LocalDate keyPersonSince, LocalDate closedOn) {
    }

    /** Blocking. */
    Closed close(long id, Closing closing, Integer expectedVersion) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (closing.reason() == null) {
            faults.add(new ApiException.FieldFault("reason", "error.required"));
        }
        Vocabulary.CLOSING_REASONS.check("reason", closing.reason(), faults);
        LocalDate now = today.date();
        if (closing.on() == null) {
            faults.add(new ApiException.FieldFault("on", "error.required"));
        } else if (closing.on().isAfter(now)) {
            faults.add(new ApiException.FieldFault("on", "error.person.closedInFuture", now));
        }
        TextInput.check("note", closing.note(), 500, faults);
        requireVersion(expectedVersion, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            Current current = current(id);
            if (current.closedOn() != null) {
                throw ApiException.conflict("error.person.closed", id, current.closedOn());
            }
            if (current.birthDate() != null && closing.on().isBefore(current.birthDate())) {
                throw ApiException.invalid("on", "error.person.closedBeforeBirth", current.birthDate());
            }
            if (current.keyPersonSince() != null && closing.on().isBefore(current.keyPersonSince())) {
                throw ApiException.invalid("on", "error.person.closedBeforeRegistration", current.keyPersonSince());
            }
            String why = closing.note() == null || closing.note().isBlank() ? closing.reason()
                    : closing.reason() + ": " + closing.note().trim();
            ChangeReason.set(jdbc, why);
            int version = jdbc.sql("""
                            UPDATE person SET closed_on = :on, closed_reason = :reason
                             WHERE id = :id AND version = :version RETURNING version
                            """)
                    .param("on", closing.on()).param("reason", closing.reason()).param("id", id)
                    .param("version", expectedVersion).query(Integer.class).optional()
                    .orElseThrow(() -> Versions.stale(true, "error.person.notFound", id));
            // an assignment that would only start after the closing keeps its first day: valid_to >= valid_from
            int ended = jdbc.sql("""
                            UPDATE role_assignment SET valid_to = greatest(valid_from, :on), end_reason = :why
                             WHERE (person_id = :id OR scope_person_id = :id) AND (valid_to IS NULL OR valid_to > :on)
                            """)
                    .param("on", closing.on()).param("why", "person " + id + " closed: " + why).param("id", id).update();
            int cancelled = jdbc.sql("""
                            UPDATE delivery_request SET status = 'cancelled'
                             WHERE key_person_id = :id AND status IN ('pending', 'planned')
                            """)
                    .param("id", id).update();
            return new Closed(id, version, closing.on(), closing.reason(), ended, cancelled);
        });
    }

    /** Blocking. */
    Closed reopen(long id, Reopening reopening, Integer expectedVersion) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (reopening.reason() == null || reopening.reason().isBlank()) {
            faults.add(new ApiException.FieldFault("reason", "error.required"));
        }
        TextInput.check("reason", reopening.reason(), 500, faults);
        requireVersion(expectedVersion, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            if (current(id).closedOn() == null) {
                throw ApiException.conflict("error.person.notClosed", id);
            }
            ChangeReason.set(jdbc, reopening.reason().trim());
            int version = jdbc.sql("""
                            UPDATE person SET closed_on = NULL, closed_reason = NULL
                             WHERE id = :id AND version = :version RETURNING version
                            """)
                    .param("id", id).param("version", expectedVersion).query(Integer.class).optional()
                    .orElseThrow(() -> Versions.stale(true, "error.person.notFound", id));
            return new Closed(id, version, null, null, 0, 0);
        });
    }

    /** A closing is never written blind: the caller must have read the person as they are. */
    private static void requireVersion(Integer expectedVersion, List<ApiException.FieldFault> faults) {
        if (expectedVersion == null) {
            faults.add(new ApiException.FieldFault("If-Match", "error.person.ifMatchRequired"));
        }
    }

    /** The person as row-level security lets the caller see them, locked for the closing; else 404. */
    private Current current(long id) {
        return jdbc.sql("""
                        SELECT p.birth_date, k.registered_on, p.closed_on
                          FROM person p LEFT JOIN key_person k ON k.person_id = p.id
                         WHERE p.id = :id FOR NO KEY UPDATE OF p
                        """)
                .param("id", id)
                .query((rs, n) -> new Current(rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class),
                        rs.getObject(3, LocalDate.class)))
                .optional()
                .orElseThrow(() -> ApiException.notFound("error.person.notFound", id));
    }
}
