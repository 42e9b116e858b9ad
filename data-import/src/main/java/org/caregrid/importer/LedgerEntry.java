package org.caregrid.importer;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * One line of a visit ledger (走访台账): who was visited, when, how, by whom, what was found. People are named as
 * ledgers name them (a name with a phone tail, or an ID number); the server resolves them against what the caller
 * may see.
 *
 * @param row       the source row, for errors found when resolving
 * @param building  the visited person's building as written, to tell two namesakes apart; may be null
 * @param visitedAt the local date and time as written (midnight when the ledger gives only the day)
 * @param offset    the zone offset the ledger gave, or null: then the server's zone (Asia/Shanghai) applies
 * @param visitor   who visited, or null when the ledger does not say
 */
public record LedgerEntry(long row, RosterEntry.PersonRef person, String building, LocalDateTime visitedAt,
                          ZoneOffset offset, VisitMethod method, RosterEntry.PersonRef visitor, String findings,
                          Set<Need> needs) {

    /**
     * What makes two lines the same visit (a file listing it twice is an error). Error messages show it, so ID
     * numbers appear masked.
     */
    String key() {
        return person + " " + visitedAt + (offset == null ? "" : offset.toString()) + " " + method.code()
                + (visitor == null ? "" : " by " + visitor);
    }
}
