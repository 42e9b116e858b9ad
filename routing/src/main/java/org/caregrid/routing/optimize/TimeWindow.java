package org.caregrid.routing.optimize;

/** Seconds from the start of the planning day (or any common origin the caller chooses), both ends inclusive. */
public record TimeWindow(long earliest, long latest) {
    public static final TimeWindow ANY = new TimeWindow(0, 7 * 24 * 3600L);

    public TimeWindow {
        if (earliest < 0 || latest < earliest) {
            throw new IllegalArgumentException("invalid time window [" + earliest + ", " + latest + "]");
        }
    }
}
