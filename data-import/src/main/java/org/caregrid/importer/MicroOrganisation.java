package org.caregrid.importer;

/**
 * A micro-organisation (微组织) of residents: a community one, or tied to a compound
 * ({@code compoundExternalId} non-null).
 */
public record MicroOrganisation(String externalId, String name, String kind, String communityCode,
                                String compoundExternalId) {
}
