package org.caregrid.server.web;


/** How many features one GeoJSON answer may hold: the map asks per viewport, never for the whole city. */
public final class FeatureLimit {

    public static final int DEFAULT = 5_000;
    public static final int MAX = 20_000;

    private FeatureLimit() {
    }

    public static int check(Integer requested) {
        if (requested == null) {
            return DEFAULT;
        }
        if (requested < 1 || requested > MAX) {
            throw ApiException.invalid("limit", "error.range", 1, MAX, requested);
        }
        return requested;
    }
}
