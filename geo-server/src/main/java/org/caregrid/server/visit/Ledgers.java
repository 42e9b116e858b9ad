package org.caregrid.server.visit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.caregrid.importer.ImportError;
import org.caregrid.importer.LedgerEntry;
import org.caregrid.importer.Need;
import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.people.PersonRefs;
import org.caregrid.server.service.ServiceRecords;
import org.caregrid.server.web.ApiException;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a visit ledger (走访台账): each line is resolved against what the caller may see (row-level security: a
 * grid worker's ledger can name only their grid's people), checked by the rules a visit recorded in the API obeys
 * ({@link VisitRules}), and written as the API writes it, so the coverage triggers move the overdue figures at once.
 * A visit already stored (same person, instant, method and visitor) is "unchanged": importing a file twice changes
 * nothing. Any line that cannot be resolved or breaks a rule fails the whole file: nothing is written.
 */
@Component
public class Ledgers {

    public static final String CREATE = "create";
    public static final String UNCHANGED = "unchanged";

    /**
     * @param dryRun     resolve and plan, write nothing
     * @param scopeLabel the caller's area or grid, named in "no such person" errors
     * @param recordedBy the user the visits are recorded by (the job's owner)
     */
    public record Options(boolean dryRun, String scopeLabel, String recordedBy) {
    }

    /** One line of the plan: the visit created (or to be), or the one already stored. */
    public record Step(String action, long row, String person, OffsetDateTime visitedAt, String method,
                       String visitor, Long visitId, long personId, Long visitorId) {
    }

    /** The plan (done, or for a dry run to be done) and the problems; with a problem nothing was written. */
    public record Outcome(boolean written, List<Step> plan, List<ImportError> errors) {

        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String action : List.of(CREATE, UNCHANGED)) {
                counts.put(action, plan.stream().filter(s -> s.action().equals(action)).count());
            }
            return counts;
        }
    }

    private static final String SAME = """
            SELECT id FROM visit
             WHERE key_person_id = :person AND visited_at = :at AND method = :method
               AND visitor_person_id IS NOT DISTINCT FROM :visitor
             ORDER BY id LIMIT 1""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;
    private final PersonRefs people;
    private final MessageSource messages;
    private final ServiceRecords serviceRecords;

    Ledgers(JdbcClient jdbc, TransactionTemplate transactions, Today today, PersonRefs people,
            MessageSource messages, ServiceRecords serviceRecords) {
        this.jdbc = jdbc;
        this.serviceRecords = serviceRecords;
        this.transactions = transactions;
        this.today = today;
        this.people = people;
        this.messages = messages;
    }

    /** True for the record types this class imports. */
    public static boolean handles(String type) {
        return type != null && type.trim().toLowerCase(Locale.ROOT).matches("visits?");
    }

    /** Blocking; one transaction, rolled back for a dry run or any problem. */
    public Outcome run(List<LedgerEntry> entries, String fileName, Options options) {
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, "ledger " + fileName);
            List<ImportError> errors = new ArrayList<>();
            List<Line> lines = new ArrayList<>();
            Map<String, Long> rowOf = new HashMap<>();
            for (LedgerEntry entry : entries) {
                Line line = resolve(entry, fileName, options, errors);
                Long first = line == null ? null : rowOf.putIfAbsent(line.key(), entry.row());
                if (first != null) {
                    // written differently (2026/11/5 and 2026-11-05), the same visit
                    errors.add(error(fileName, entry, "visitedAt", "row " + first + " lists the same visit"));
                } else if (line != null) {
                    lines.add(line);
                }
            }
            if (!errors.isEmpty() || options.dryRun()) {
                status.setRollbackOnly();
                return new Outcome(false, errors.isEmpty() ? lines.stream().map(Line::step).toList() : List.of(),
                        errors);
            }
            List<Step> done = lines.stream().map(line -> line.step().visitId() != null ? line.step()
                    : line.written(insert(line, options.recordedBy()))).toList();
            return new Outcome(true, done, List.of());
        });
    }

    /** A line resolved to database ids, with its step. */
    private record Line(LedgerEntry entry, long personId, Long visitorId, Step step) {

        String key() {
            return personId + "|" + step.visitedAt().toInstant() + "|" + step.method() + "|" + visitorId;
        }

        Step written(long visitId) {
            return new Step(step.action(), step.row(), step.person(), step.visitedAt(), step.method(),
                    step.visitor(), visitId, step.personId(), step.visitorId());
        }
    }

    /** The line, or null with its errors reported. */
    private Line resolve(LedgerEntry entry, String fileName, Options options, List<ImportError> errors) {
        int before = errors.size();
        String personField = entry.person().idNumber() != null ? "idNumber" : "name";
        PersonRefs.Lookup person = people.find(entry.person(), entry.building(), options.scopeLabel());
        if (person.found() == null) {
            errors.add(error(fileName, entry, personField, person.problem()));
        } else if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM key_person WHERE person_id = :id)")
                .param("id", person.found().id()).query(Boolean.class).single()) {
            errors.add(error(fileName, entry, personField, "'" + person.found().name() + "' is not a key person: "
                    + "only key persons' visits are kept in the ledger"));
        }
        PersonRefs.Lookup visitor = entry.visitor() == null ? null
                : people.find(entry.visitor(), null, options.scopeLabel());
        if (visitor != null && visitor.found() == null) {
            errors.add(error(fileName, entry, "visitor", visitor.problem()));
        }
        OffsetDateTime at = entry.offset() != null ? entry.visitedAt().atOffset(entry.offset())
                : entry.visitedAt().atZone(today.zone()).toOffsetDateTime();
        List<ApiException.FieldFault> faults = new ArrayList<>();
        VisitRules.checkTime("visitedAt", at, faults);
        VisitRules.checkText("findings", entry.findings(), faults);
        for (ApiException.FieldFault fault : faults) {
            errors.add(error(fileName, entry, fault.field(),
                    messages.getMessage(fault.key(), fault.args(), fault.key(), Locale.ENGLISH)));
        }
        if (errors.size() > before) {
            return null;
        }
        Long visitorId = visitor == null ? null : visitor.found().id();
        Long same = jdbc.sql(SAME).param("person", person.found().id()).param("at", at)
                .param("method", entry.method().code()).param("visitor", visitorId, java.sql.Types.BIGINT)
                .query(Long.class).optional().orElse(null);
        String visitorName = visitor == null ? null : visitor.found().name();
        return new Line(entry, person.found().id(), visitorId, new Step(same != null ? UNCHANGED : CREATE,
                entry.row(), person.found().name(), at, entry.method().code(), visitorName, same,
                person.found().id(), visitorId));
    }

    /**
     * As {@code POST /api/visits} writes a visit, recorded by the job's owner. A visit the same file's other
     * import stored since this one looked (the unique index of V35) is that one's id: twice changes nothing.
     */
    private long insert(Line line, String recordedBy) {
        LedgerEntry entry = line.entry();
        long id = jdbc.sql(VisitRules.INSERT_UNLESS_STORED)
                .param("person", line.personId())
                .param("visitor", line.visitorId(), java.sql.Types.BIGINT)
                .param("at", line.step().visitedAt())
                .param("method", entry.method().code())
                .param("findings", entry.findings())
                .param("needs", entry.needs().stream().map(Need::code).sorted().toArray(String[]::new))
                .param("follow_up", null)
                .param("escalated", false)
                .param("note", null)
                .param("by", recordedBy)
                .query(Long.class).optional()
                .orElseGet(() -> jdbc.sql(SAME).param("person", line.personId()).param("at", line.step().visitedAt())
                        .param("method", entry.method().code()).param("visitor", line.visitorId(), java.sql.Types.BIGINT)
                        .query(Long.class).single());
        // idempotent: a visit stored before keeps the one record it has
        serviceRecords.visitRecorded(id);
        return id;
    }

    private static ImportError error(String fileName, LedgerEntry entry, String field, String reason) {
        return new ImportError(fileName, entry.row(), field, ImportError.Severity.ERROR, reason);
    }
}
