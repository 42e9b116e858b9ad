package org.caregrid.routing.optimize;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything the optimiser needs for one dispatch: who, what, where, and the travel costs per profile. */
public record DeliveryProblem(List<DeliveryRequest> requests, List<Pharmacy> pharmacies, List<Volunteer> volunteers,
                              Map<String, TravelCosts> costsByProfile) {
    public DeliveryProblem {
        requests = List.copyOf(requests);
        pharmacies = List.copyOf(pharmacies);
        volunteers = List.copyOf(volunteers);
        costsByProfile = Map.copyOf(costsByProfile);
        Set<String> pharmacyIds = new HashSet<>();
        pharmacies.forEach(p -> pharmacyIds.add(p.id()));
        Set<String> volunteerIds = new HashSet<>();
        volunteers.forEach(v -> volunteerIds.add(v.id()));
        for (DeliveryRequest r : requests) {
            r.volunteerId().ifPresent(id -> {
                if (!volunteerIds.contains(id)) {
                    throw new IllegalArgumentException("request " + r.id() + " is pinned to unknown volunteer " + id);
                }
            });
        }
        for (Volunteer v : volunteers) {
            TravelCosts costs = costsByProfile.get(v.profile());
            if (costs == null) {
                throw new IllegalArgumentException("volunteer " + v.id() + ": no travel costs for profile " + v.profile());
            }
            checkIndex(costs, v.startLocation(), "volunteer " + v.id() + " start");
            checkIndex(costs, v.endLocation(), "volunteer " + v.id() + " end");
        }
        for (TravelCosts costs : costsByProfile.values()) {
            for (DeliveryRequest r : requests) {
                checkIndex(costs, r.location(), "request " + r.id());
                r.pharmacyId().ifPresent(id -> {
                    if (!pharmacyIds.contains(id)) {
                        throw new IllegalArgumentException("request " + r.id() + " names unknown pharmacy " + id);
                    }
                });
            }
            for (Pharmacy p : pharmacies) {
                checkIndex(costs, p.location(), "pharmacy " + p.id());
            }
        }
    }

    /**
     * What leaving a non-urgent request out costs the optimisers (urgent: a hundred times more): above a hundred
     * of the dearest arcs, so that a request is only dropped when it cannot fit.
     */
    long dropPenalty() {
        long max = 0;
        for (TravelCosts costs : costsByProfile.values()) {
            for (long[] row : costs.cost()) {
                for (long c : row) {
                    max = Math.max(max, c);
                }
            }
        }
        return 100 * (max + 1) + 10_000;
    }

    private static void checkIndex(TravelCosts costs, int location, String what) {
        if (location < 0 || location >= costs.size()) {
            throw new IllegalArgumentException(what + ": location " + location + " outside the " + costs.size()
                    + "-place travel matrix");
        }
    }
}
