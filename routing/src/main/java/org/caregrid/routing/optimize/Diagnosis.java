package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks each request against each volunteer alone (start → pharmacy → household → end), so a request that
 * nobody could serve gets its true reason instead of a vague "not assigned". Only the rest go to the solver,
 * restricted to the volunteers and pharmacies that work for them.
 */
record Diagnosis(List<Volunteer> usableVolunteers, List<Servable> servable, List<UnservedRequest> unservable) {

    /** A request some volunteer can serve alone; indices are into {@link #usableVolunteers()}. */
    record Servable(DeliveryRequest request, List<Pharmacy> pharmacies, List<Integer> volunteerIndices) {
    }

    static Diagnosis of(DeliveryProblem problem) {
        List<Volunteer> usable = new ArrayList<>();
        for (Volunteer v : problem.volunteers()) {
            TravelCosts costs = problem.costsByProfile().get(v.profile());
            // A volunteer who cannot even get from start to end within the shift cannot take any work.
            if (costs.reachable(v.startLocation(), v.endLocation())
                    && v.shift().earliest() + costs.seconds()[v.startLocation()][v.endLocation()] <= v.shift().latest()) {
                usable.add(v);
            }
        }
        List<Servable> servable = new ArrayList<>();
        List<UnservedRequest> unservable = new ArrayList<>();
        for (DeliveryRequest request : problem.requests()) {
            List<Pharmacy> options = pickupOptions(problem, request);
            boolean anyReachable = false;
            boolean anyWithCapacity = false;
            List<Integer> volunteers = new ArrayList<>();
            List<Pharmacy> pharmacies = new ArrayList<>();
            for (int vi = 0; vi < usable.size(); vi++) {
                Volunteer v = usable.get(vi);
                if (request.volunteerId().isPresent() && !request.volunteerId().get().equals(v.id())) {
                    continue; // pinned to someone else by the dispatcher
                }
                TravelCosts costs = problem.costsByProfile().get(v.profile());
                boolean fits = request.demand() <= v.capacity() && v.maxStops() >= 0;
                boolean works = false;
                for (Pharmacy pharmacy : options) {
                    if (!reachable(costs, v, pharmacy, request)) {
                        continue;
                    }
                    anyReachable = true;
                    if (!fits) {
                        continue;
                    }
                    anyWithCapacity = true;
                    if (inTime(costs, v, pharmacy, request)) {
                        works = true;
                        if (pharmacy != null && !pharmacies.contains(pharmacy)) {
                            pharmacies.add(pharmacy);
                        }
                    }
                }
                if (works) {
                    volunteers.add(vi);
                }
            }
            String pinned = request.volunteerId().map(id -> " (pinned to volunteer " + id + ")").orElse("");
            if (!volunteers.isEmpty()) {
                servable.add(new Servable(request, pharmacies, volunteers));
            } else if (!anyReachable) {
                unservable.add(new UnservedRequest(request.id(), UnservedRequest.Reason.UNREACHABLE,
                        "no volunteer's road network connects start, pharmacy, household and end" + pinned));
            } else if (!anyWithCapacity) {
                unservable.add(new UnservedRequest(request.id(), UnservedRequest.Reason.NO_VOLUNTEER_WITH_CAPACITY,
                        "demand " + request.demand() + " exceeds the capacity of every volunteer who can reach it" + pinned));
            } else {
                unservable.add(new UnservedRequest(request.id(), UnservedRequest.Reason.TIME_WINDOW_IMPOSSIBLE,
                        "no volunteer can arrive within [" + request.window().earliest() + ", "
                                + request.window().latest() + "] and return within the shift" + pinned));
            }
        }
        return new Diagnosis(List.copyOf(usable), servable, unservable);
    }

    /** The pharmacies a request may be fetched from; a single null means "no pickup, on board from the start". */
    private static List<Pharmacy> pickupOptions(DeliveryProblem problem, DeliveryRequest request) {
        if (problem.pharmacies().isEmpty()) {
            List<Pharmacy> none = new ArrayList<>();
            none.add(null);
            return none;
        }
        if (request.pharmacyId().isPresent()) {
            return problem.pharmacies().stream().filter(p -> p.id().equals(request.pharmacyId().get())).toList();
        }
        return problem.pharmacies();
    }

    private static boolean reachable(TravelCosts costs, Volunteer v, Pharmacy pharmacy, DeliveryRequest request) {
        if (pharmacy == null) {
            return costs.reachable(v.startLocation(), request.location())
                    && costs.reachable(request.location(), v.endLocation());
        }
        return costs.reachable(v.startLocation(), pharmacy.location())
                && costs.reachable(pharmacy.location(), request.location())
                && costs.reachable(request.location(), v.endLocation());
    }

    /** Earliest schedule of this one request by this volunteer, waiting where a window is not open yet. */
    private static boolean inTime(TravelCosts costs, Volunteer v, Pharmacy pharmacy, DeliveryRequest request) {
        long t = v.shift().earliest();
        int at = v.startLocation();
        if (pharmacy != null) {
            t = Math.max(t + costs.seconds()[at][pharmacy.location()], pharmacy.openingHours().earliest());
            if (t > pharmacy.openingHours().latest()) {
                return false;
            }
            t += pharmacy.serviceSeconds();
            at = pharmacy.location();
        }
        t = Math.max(t + costs.seconds()[at][request.location()], request.window().earliest());
        if (t > request.window().latest()) {
            return false;
        }
        t += request.serviceSeconds() + costs.seconds()[request.location()][v.endLocation()];
        return t <= v.shift().latest();
    }
}
