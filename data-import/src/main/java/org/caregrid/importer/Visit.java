package org.caregrid.importer;

import java.time.LocalDate;

/** A patrol visit (巡查巡访) to a key person, as logged in the ledger. {@code visitorExternalId} may be null. */
public record Visit(String externalId, String personExternalId, String visitorExternalId, LocalDate date,
                    VisitMethod method, String findings) {
}
