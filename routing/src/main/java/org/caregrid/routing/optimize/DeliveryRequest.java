package org.caregrid.routing.optimize;

import java.util.Objects;
import java.util.Optional;

/**
 * One medicine delivery to a household.
 *
 * @param location       index into the travel matrices
 * @param window         when the household can receive it
 * @param serviceSeconds time spent at the door
 * @param pharmacyId     the pharmacy it must be fetched from; empty = any pharmacy of the problem (or, when the
 *                       problem has no pharmacies, the goods are on board from the volunteer's start)
 * @param volunteerId    the volunteer it is pinned to (a dispatcher's decision): no one else may take it
 */
public record DeliveryRequest(String id, int location, int demand, TimeWindow window, long serviceSeconds,
                              boolean urgent, Optional<String> pharmacyId, Optional<String> volunteerId) {
    public DeliveryRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pharmacyId, "pharmacyId");
        Objects.requireNonNull(volunteerId, "volunteerId");
        if (demand < 0 || serviceSeconds < 0 || location < 0) {
            throw new IllegalArgumentException("request " + id + ": negative demand, service time or location");
        }
    }

    /** A request any volunteer may take. */
    public DeliveryRequest(String id, int location, int demand, TimeWindow window, long serviceSeconds,
                           boolean urgent, Optional<String> pharmacyId) {
        this(id, location, demand, window, serviceSeconds, urgent, pharmacyId, Optional.empty());
    }

    /** The same request, pinned to one volunteer. */
    public DeliveryRequest pinnedTo(String volunteer) {
        return new DeliveryRequest(id, location, demand, window, serviceSeconds, urgent, pharmacyId,
                Optional.of(volunteer));
    }
}
