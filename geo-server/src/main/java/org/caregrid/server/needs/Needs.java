package org.caregrid.server.needs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.caregrid.server.config.Today;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Masking;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Reach;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.vocabulary.Vocabulary;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The needs list (需求清单): needs open from visits and profiles (the V32 triggers), read with their person
 * as the caller may see them, and moved on: taken for a supply (接单), done, or escalated to the street.
 * Every list and every move is audited with its purpose (care work); a need outside the caller's scope
 * is not found, and nothing is written.
 */
@Component
class Needs {

    static final int MAX_PAGE_SIZE = 500;

    /**
     * @param person    the person's name; null would never be shown: only roles that read names list needs
     * @param phone     masked unless the caller reads phone numbers in full
     * @param daysOpen  days since the need was opened, counted in the configured zone
     */
    record Need(long id, long personId, String person, String place, String phone, String kind, String urgency,
                String status, String source, OffsetDateTime since, long daysOpen, Long supplyId,
                OffsetDateTime takenAt, OffsetDateTime escalatedAt, String escalationNote, OffsetDateTime doneAt,
                String note, int version) {
    }

    record Page(long total, int page, int size, List<Need> items) {
    }

    record Filter(String status, String kind, String area, Long person, Integer page, Integer size) {
    }

    private static final String SELECT = """
            SELECT n.*, p.name, p.phone, concat_ws(' ', b.name, u.number, p.room) AS place,
                   CAST(:today AS date) - (n.opened_at AT TIME ZONE :tz)::date AS days_open,
                   count(*) OVER () AS matched
              FROM need n
              JOIN person p ON p.id = n.key_person_id
              LEFT JOIN building b ON b.id = p.building_id
              LEFT JOIN unit u ON u.id = p.unit_id
             WHERE %s
            """;

    private static final String LIST = SELECT + """
               AND (CAST(:status AS text) IS NULL OR n.status = :status)
               AND (CAST(:kind AS text) IS NULL OR n.kind = :kind)
               AND (CAST(:area AS text) IS NULL OR EXISTS (SELECT 1 FROM admin_area a WHERE a.code = :area
                        AND starts_with(p.area_code, area_code_prefix(a.code, a.level))))
               AND (CAST(:person AS bigint) IS NULL OR n.key_person_id = :person)
             ORDER BY n.urgency = 'urgent' DESC, n.opened_at, n.id
             LIMIT :size OFFSET :offset
            """;

    private static final String ONE = SELECT + " AND n.id = :id";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PersonAccess access;
    private final AuditLog auditLog;
    private final Today today;
    private final String timeZone;
    private final Supplies supplies;

    Needs(JdbcClient jdbc, TransactionTemplate transactions, PersonAccess access, AuditLog auditLog, Today today,
          CoverageProperties coverage, Supplies supplies) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.access = access;
        this.auditLog = auditLog;
        this.today = today;
        this.timeZone = coverage.timeZone();
        this.supplies = supplies;
    }

    /** Blocking. One page of the needs the caller may see, urgent first, then the longest waiting. */
    Page list(Filter filter, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        Vocabulary.NEED_STATUSES.check("status", blankToNull(filter.status()), faults);
        Vocabulary.NEEDS.check("kind", blankToNull(filter.kind()), faults);
        if (blankToNull(filter.area()) != null && !filter.area().matches("[0-9]{12}")) {
            faults.add(new ApiException.FieldFault("area", "error.area.code", filter.area()));
        }
        int page = filter.page() == null ? 0 : filter.page();
        int size = filter.size() == null ? 50 : filter.size();
        if (page < 0) {
            faults.add(new ApiException.FieldFault("page", "error.need.page", MAX_PAGE_SIZE));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            faults.add(new ApiException.FieldFault("size", "error.need.page", MAX_PAGE_SIZE));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        SqlPredicate visible = access.predicate(user, "p");
        Map<String, Object> params = base(visible);
        params.put("status", blankToNull(filter.status()));
        params.put("kind", blankToNull(filter.kind()));
        params.put("area", blankToNull(filter.area()));
        params.put("person", filter.person());
        params.put("size", size);
        params.put("offset", (long) page * size);
        long[] matched = {0};
        boolean phones = AccessPolicy.allows(user, Action.READ_PHONE);
        List<Need> items = jdbc.sql(LIST.formatted(visible.sql())).params(params).query((rs, n) -> {
            matched[0] = rs.getLong("matched");
            return toNeed(rs, phones);
        }).list();
        if (!items.isEmpty()) {
            auditLog.personsListed(user, "GET /api/needs", items.stream().map(Need::personId).distinct().toList(),
                    Purpose.VISIT);
        }
        return new Page(matched[0], page, size, items);
    }

    /** Blocking. Takes the need for {@code supplyId} (接单): open or escalated needs only. */
    Need take(long id, Long supplyId, String note, Integer version, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (supplyId == null) {
            faults.add(new ApiException.FieldFault("supplyId", "error.required"));
        }
        TextInput.check("note", note, 2000, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return move(id, version, user, "take", List.of("open", "escalated"), note, need -> {
            Supplies.Offer offer = supplies.offerFor(supplyId, need.kind(), need.personId(), today.date());
            if (AccessPolicy.reach(user, Action.WORK_NEEDS) == Reach.OWN_KEY_PERSONS
                    && !Long.valueOf(offer.volunteerPersonId() == null ? -1 : offer.volunteerPersonId()).equals(user.personId())) {
                throw ApiException.forbidden("error.need.notYourSupply");
            }
            // one taker at a time per supply, so that two takers cannot both have the last place this week
            jdbc.sql("SELECT pg_advisory_xact_lock(7301, CAST(:id AS integer))").param("id", supplyId)
                    .query((rs, n) -> 1).single();
            long used = supplies.usedThisWeek(supplyId);
            if (used >= offer.capacityPerWeek()) {
                throw ApiException.conflict("error.need.capacity", supplyId, offer.capacityPerWeek());
            }
            return jdbc.sql("""
                            UPDATE need SET status = 'taken', taken_supply_id = :supply, taken_at = now(), taken_by = :by,
                                   note = coalesce(:note, note)
                             WHERE id = :id AND version = :version
                            """).param("supply", supplyId).param("by", user.getUsername()).param("note", blankToNull(note))
                    .param("id", id).param("version", need.version()).update();
        });
    }

    /** Blocking. Marks a taken (or escalated) need done. */
    Need done(long id, String note, Integer version, CaregridUser user) {
        checkNote("note", note, false);
        return move(id, version, user, "done", List.of("taken", "escalated"), note, need -> jdbc.sql("""
                        UPDATE need SET status = 'done', done_at = now(), done_by = :by, note = coalesce(:note, note)
                         WHERE id = :id AND version = :version
                        """).param("by", user.getUsername()).param("note", blankToNull(note))
                .param("id", id).param("version", need.version()).update());
    }

    /** Blocking. Passes an open or taken need up to the street (上报), with a note saying why. */
    Need escalate(long id, String note, Integer version, CaregridUser user) {
        checkNote("note", note, true);
        return move(id, version, user, "escalate", List.of("open", "taken"), note, need -> jdbc.sql("""
                        UPDATE need SET status = 'escalated', escalated_at = now(), escalated_by = :by,
                               escalation_note = :note
                         WHERE id = :id AND version = :version
                        """).param("by", user.getUsername()).param("note", note.trim())
                .param("id", id).param("version", need.version()).update());
    }

    /** Blocking. The need as the caller may see it; 404 outside their scope. Not audited: callers audit. */
    Need find(long id, CaregridUser user) {
        SqlPredicate visible = access.predicate(user, "p");
        Map<String, Object> params = base(visible);
        params.put("id", id);
        boolean phones = AccessPolicy.allows(user, Action.READ_PHONE);
        return jdbc.sql(ONE.formatted(visible.sql())).params(params).query((rs, n) -> toNeed(rs, phones)).optional()
                .orElseThrow(() -> ApiException.notFound("error.need.notFound", id));
    }

    private interface Step {
        int apply(Need need);
    }

    /**
     * The shape every move shares: find (404), the version (412), the status (409), the step, then the need
     * as it is now, audited. One transaction: a refused move writes nothing.
     */
    private Need move(long id, Integer version, CaregridUser user, String action, List<String> from, String reason,
                      Step step) {
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, blankToNull(reason));
            Need need = find(id, user);
            if (version != null && version != need.version()) {
                throw Versions.stale(true, "error.need.notFound", id);
            }
            if (!from.contains(need.status())) {
                throw ApiException.conflict("error.need.status." + action, id, need.status());
            }
            if (step.apply(need) != 1) {
                throw Versions.stale(true, "error.need.notFound", id);
            }
            auditLog.personAction(user, action + "_need", "POST /api/needs/" + id + "/" + action, need.personId(),
                    Purpose.VISIT);
            return find(id, user);
        });
    }

    private Map<String, Object> base(SqlPredicate visible) {
        Map<String, Object> params = new HashMap<>(visible.params());
        params.put("today", today.date());
        params.put("tz", timeZone);
        return params;
    }

    private static void checkNote(String field, String note, boolean required) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (required && (note == null || note.isBlank())) {
            faults.add(new ApiException.FieldFault(field, "error.required"));
        }
        TextInput.check(field, note, 2000, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
    }

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static Need toNeed(ResultSet rs, boolean phones) throws SQLException {
        String phone = rs.getString("phone");
        return new Need(rs.getLong("id"), rs.getLong("key_person_id"), rs.getString("name"), rs.getString("place"),
                phones ? phone : Masking.phone(phone), rs.getString("kind"), rs.getString("urgency"),
                rs.getString("status"), rs.getString("source"), rs.getObject("opened_at", OffsetDateTime.class),
                rs.getLong("days_open"), (Long) rs.getObject("taken_supply_id"),
                rs.getObject("taken_at", OffsetDateTime.class), rs.getObject("escalated_at", OffsetDateTime.class),
                rs.getString("escalation_note"), rs.getObject("done_at", OffsetDateTime.class), rs.getString("note"),
                rs.getInt("version"));
    }
}
