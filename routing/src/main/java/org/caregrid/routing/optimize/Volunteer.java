package org.caregrid.routing.optimize;

/**
 * A member of the delivery squad, or a grid worker.
 *
 * @param profile  key into {@link DeliveryProblem#costsByProfile()} (e.g. "foot", "bike", "car")
 * @param maxStops most deliveries on one route; 0 = no limit
 */
public record Volunteer(String id, int startLocation, int endLocation, int capacity, TimeWindow shift,
                        String profile, int maxStops) {
}
