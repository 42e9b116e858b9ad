package org.caregrid.routing;

import java.util.Locale;

/** How a person travels. Each mode is one GraphHopper profile built from the custom model of the same name. */
public enum TravelMode {
    FOOT, BIKE, CAR;

    /** The GraphHopper profile name, also the name of the custom model in the GraphHopper jar. */
    public String profileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
