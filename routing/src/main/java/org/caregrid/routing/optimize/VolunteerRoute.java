package org.caregrid.routing.optimize;

import java.util.List;

/** The ordered stops of one volunteer, START first and END last, with the route's cost and duration. */
public record VolunteerRoute(String volunteerId, List<PlannedStop> stops, long cost, long durationSeconds) {
    public VolunteerRoute {
        stops = List.copyOf(stops);
    }

    public long deliveries() {
        return stops.stream().filter(s -> s.kind() == StopKind.DELIVERY || s.kind() == StopKind.VISIT).count();
    }
}
