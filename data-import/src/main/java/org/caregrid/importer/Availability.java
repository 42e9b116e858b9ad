package org.caregrid.importer;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Set;

/** Weekly availability: the same hours on each listed day. */
public record Availability(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

    public Availability {
        days = Set.copyOf(days);
    }
}
