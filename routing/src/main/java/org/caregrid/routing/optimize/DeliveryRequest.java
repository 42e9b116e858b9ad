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
 */
public record DeliveryRequest(String id, int location, int demand, TimeWindow window, long serviceSeconds,
                              boolean urgent, Optional<String> pharmacyId) {
    public DeliveryRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pharmacyId, "pharmacyId");
        if (demand < 0 || serviceSeconds < 0 || location < 0) {
            throw new IllegalArgumentException("request " + id + ": negative demand, service time or location");
        }
    }
}
