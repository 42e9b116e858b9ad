package org.caregrid.routing.optimize;

/** A household a grid worker should visit; overdue visits weigh more when not all fit into the day. */
public record VisitStop(String id, int location, TimeWindow window, long serviceSeconds, boolean overdue) {
}
