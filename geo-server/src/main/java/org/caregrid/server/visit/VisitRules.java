package org.caregrid.server.visit;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;

/** What a visit must be to enter the ledger, whether recorded in the API or imported from a file. */
final class VisitRules {

    /** Clocks of phones differ a little; a visit further in the future than this is a mistake. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    /** The ledger begins with caregrid; a visit dated before this year is a typing mistake. */
    private static final int EARLIEST_VISIT_YEAR = 2000;

    /** The longest findings, follow-up or escalation note. */
    static final int MAX_TEXT = 4000;

    static final String INSERT = """
            INSERT INTO visit (key_person_id, visitor_person_id, visited_at, method, findings, needs_found,
                               follow_up, escalated, escalation_note, recorded_by)
            VALUES (:person, :visitor, :at, :method, :findings, :needs, :follow_up, :escalated, :note, :by)
            RETURNING id
            """;

    /** As {@link #INSERT}, but a visit stored meanwhile (a ledger imported twice at once) adds no row and no id. */
    static final String INSERT_UNLESS_STORED = INSERT.replace("RETURNING id", "ON CONFLICT DO NOTHING RETURNING id");

    /**
     * The same visit (key person, instant, method, visitor) is stored once: a unique index says so (V35), and
     * its violation is this constraint's name.
     */
    static final String SAME_VISIT_INDEX = "visit_same_visit_idx";

    private VisitRules() {
    }

    /** Not in the future (beyond a phone's clock skew), not before 2000. */
    static void checkTime(String field, OffsetDateTime at, List<ApiException.FieldFault> faults) {
        if (at.isAfter(OffsetDateTime.now().plus(CLOCK_SKEW))) {
            faults.add(new ApiException.FieldFault(field, "error.visit.future", at));
        }
        if (at.getYear() < EARLIEST_VISIT_YEAR) {
            faults.add(new ApiException.FieldFault(field, "error.visit.tooEarly", EARLIEST_VISIT_YEAR));
        }
    }

    static void checkText(String field, String text, List<ApiException.FieldFault> faults) {
        TextInput.check(field, text, MAX_TEXT, faults);
    }
}
