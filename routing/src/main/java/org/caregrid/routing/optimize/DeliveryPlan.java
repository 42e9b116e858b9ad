package org.caregrid.routing.optimize;

import java.util.List;

/** Routes for the volunteers who got work, the requests left out with their reasons, and the total cost. */
public record DeliveryPlan(List<VolunteerRoute> routes, List<UnservedRequest> unserved, long totalCost) {
    public DeliveryPlan {
        routes = List.copyOf(routes);
        unserved = List.copyOf(unserved);
    }
}
