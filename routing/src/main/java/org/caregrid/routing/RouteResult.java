package org.caregrid.routing;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a route request: a route, or why there is none.
 *
 * @param route     empty when some point could not be snapped or no connection exists
 * @param unsnapped the requested points that could not be attached to the road network
 * @param problem   a human-readable reason when {@code route} is empty, else null
 */
public record RouteResult(Optional<Route> route, List<Unsnapped> unsnapped, String problem) {
    public RouteResult {
        unsnapped = List.copyOf(unsnapped);
    }

    static RouteResult found(Route route) {
        return new RouteResult(Optional.of(route), List.of(), null);
    }

    static RouteResult notFound(List<Unsnapped> unsnapped, String problem) {
        return new RouteResult(Optional.empty(), unsnapped, problem);
    }
}
