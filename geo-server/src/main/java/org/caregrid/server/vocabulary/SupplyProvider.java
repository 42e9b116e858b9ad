package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** Who offers a supply on the supply list (supply.provider_kind). */
public enum SupplyProvider implements Coded {
    ORGANISATION, MICRO_ORGANISATION, SOCIAL_WORK_STATION, VOLUNTEER
}
