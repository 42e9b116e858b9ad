package org.caregrid.importer;

import java.util.Set;

/**
 * The key-population profile of a person. {@code responsiblePersonExternalId} (包保责任人) may be null: a gap the
 * coverage report shows.
 */
public record KeyPersonProfile(String personExternalId, Set<KeyCategory> categories, RiskLevel riskLevel,
                               Set<Need> needs, String responsiblePersonExternalId) {

    public KeyPersonProfile {
        categories = Set.copyOf(categories);
        needs = Set.copyOf(needs);
    }
}
