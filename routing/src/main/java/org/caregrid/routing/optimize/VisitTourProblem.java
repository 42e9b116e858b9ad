package org.caregrid.routing.optimize;

import java.util.List;

/** One grid worker's day: from the community office, through the visits, back to the office. */
public record VisitTourProblem(String workerId, int officeLocation, TimeWindow workday, List<VisitStop> visits,
                               TravelCosts costs) {
    public VisitTourProblem {
        visits = List.copyOf(visits);
    }
}
