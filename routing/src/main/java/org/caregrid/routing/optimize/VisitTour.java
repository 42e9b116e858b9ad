package org.caregrid.routing.optimize;

import java.util.List;

/** The tour (START at the office, VISIT stops, END at the office) and the visits that did not fit. */
public record VisitTour(VolunteerRoute route, List<UnservedRequest> unvisited) {
    public VisitTour {
        unvisited = List.copyOf(unvisited);
    }
}
