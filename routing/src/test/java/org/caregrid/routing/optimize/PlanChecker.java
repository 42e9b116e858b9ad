package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plan against every constraint of its problem from the records alone, without the solver's code:
 * each request served once or reported unserved once; routes from the volunteer's start to their end; a pickup
 * at an allowed pharmacy before each delivery on the same route; load within capacity at every stop; deliveries
 * within the stop limit; a schedule (travel of the volunteer's own profile, service times, waiting) that meets
 * every window and the shift; pinned requests on their volunteer; costs as reported. Returns the violations.
 */
final class PlanChecker {
    private PlanChecker() {
    }

    static List<String> violations(DeliveryProblem problem, DeliveryPlan plan) {
        List<String> errors = new ArrayList<>();
        Map<String, DeliveryRequest> requests = new HashMap<>();
        problem.requests().forEach(r -> requests.put(r.id(), r));
        Map<String, Volunteer> volunteers = new HashMap<>();
        problem.volunteers().forEach(v -> volunteers.put(v.id(), v));
        Map<String, Pharmacy> pharmacies = new HashMap<>();
        problem.pharmacies().forEach(p -> pharmacies.put(p.id(), p));
        boolean withPickups = !problem.pharmacies().isEmpty();
        Set<String> seen = new HashSet<>();
        long total = 0;
        Set<String> volunteersUsed = new HashSet<>();
        for (VolunteerRoute route : plan.routes()) {
            Volunteer v = volunteers.get(route.volunteerId());
            if (v == null || !volunteersUsed.add(route.volunteerId())) {
                errors.add("route of unknown or repeated volunteer " + route.volunteerId());
                continue;
            }
            TravelCosts costs = problem.costsByProfile().get(v.profile());
            List<PlannedStop> stops = route.stops();
            if (stops.size() < 2 || stops.get(0).kind() != StopKind.START
                    || stops.get(stops.size() - 1).kind() != StopKind.END) {
                errors.add(v.id() + ": a route must go from START to END");
                continue;
            }
            if (stops.get(0).location() != v.startLocation() || stops.get(stops.size() - 1).location() != v.endLocation()) {
                errors.add(v.id() + ": does not start or end at the volunteer's own places");
            }
            long load = 0;
            for (PlannedStop s : stops) {
                if (s.kind() == StopKind.DELIVERY && !withPickups) {
                    load += requests.get(s.requestId()).demand();
                }
            }
            Set<String> pickedUp = new HashSet<>();
            int deliveries = 0;
            long time = v.shift().earliest();
            long departure = stops.get(0).arrival();
            if (departure < v.shift().earliest() || departure > v.shift().latest()) {
                errors.add(v.id() + ": leaves outside the shift");
            }
            time = Math.max(time, departure);
            long cost = 0;
            int at = v.startLocation();
            long serviceAtPrevious = 0;
            for (int i = 1; i < stops.size(); i++) {
                PlannedStop s = stops.get(i);
                if (!costs.reachable(at, s.location())) {
                    errors.add(v.id() + ": no road from " + at + " to " + s.location());
                    break;
                }
                cost += costs.cost()[at][s.location()];
                long arrival = time + serviceAtPrevious + costs.seconds()[at][s.location()];
                TimeWindow window;
                long service;
                switch (s.kind()) {
                    case PICKUP -> {
                        DeliveryRequest r = requests.get(s.requestId());
                        Pharmacy ph = pharmacies.get(s.pharmacyId());
                        if (r == null || ph == null || ph.location() != s.location()) {
                            errors.add(v.id() + ": pickup of unknown request or pharmacy " + s);
                            window = TimeWindow.ANY;
                            service = 0;
                        } else {
                            if (r.pharmacyId().isPresent() && !r.pharmacyId().get().equals(ph.id())) {
                                errors.add(r.id() + ": fetched from " + ph.id() + " instead of " + r.pharmacyId().get());
                            }
                            if (!pickedUp.add(r.id())) {
                                errors.add(r.id() + ": picked up twice");
                            }
                            load += r.demand();
                            window = ph.openingHours();
                            service = ph.serviceSeconds();
                        }
                    }
                    case DELIVERY -> {
                        DeliveryRequest r = requests.get(s.requestId());
                        if (r == null || r.location() != s.location()) {
                            errors.add(v.id() + ": delivery of unknown request or at a wrong place " + s);
                            window = TimeWindow.ANY;
                            service = 0;
                        } else {
                            if (!seen.add(r.id())) {
                                errors.add(r.id() + ": delivered twice");
                            }
                            if (withPickups && !pickedUp.contains(r.id())) {
                                errors.add(r.id() + ": delivered before its pickup on the same route");
                            }
                            if (r.volunteerId().isPresent() && !r.volunteerId().get().equals(v.id())) {
                                errors.add(r.id() + ": pinned to " + r.volunteerId().get() + " but served by " + v.id());
                            }
                            load -= r.demand();
                            deliveries++;
                            window = r.window();
                            service = r.serviceSeconds();
                        }
                    }
                    case END -> {
                        window = v.shift();
                        service = 0;
                    }
                    default -> {
                        errors.add(v.id() + ": unexpected stop " + s.kind());
                        window = TimeWindow.ANY;
                        service = 0;
                    }
                }
                time = Math.max(arrival, window.earliest());
                if (time > window.latest()) {
                    errors.add(v.id() + ": " + s.kind() + " " + s.requestId() + " starts at " + time + " after "
                            + window.latest());
                }
                if (load < 0 || load > v.capacity()) {
                    errors.add(v.id() + ": load " + load + " after " + s.kind() + " " + s.requestId()
                            + " outside 0.." + v.capacity());
                }
                serviceAtPrevious = service;
                at = s.location();
            }
            if (v.maxStops() > 0 && deliveries > v.maxStops()) {
                errors.add(v.id() + ": " + deliveries + " deliveries, at most " + v.maxStops());
            }
            if (cost != route.cost()) {
                errors.add(v.id() + ": reported cost " + route.cost() + ", travelled " + cost);
            }
            total += cost;
        }
        if (total != plan.totalCost()) {
            errors.add("reported total " + plan.totalCost() + ", sum of routes " + total);
        }
        for (UnservedRequest u : plan.unserved()) {
            if (!requests.containsKey(u.requestId()) || !seen.add(u.requestId())) {
                errors.add(u.requestId() + ": reported unserved but unknown or also served");
            }
        }
        for (String id : requests.keySet()) {
            if (!seen.contains(id)) {
                errors.add(id + ": neither served nor reported unserved");
            }
        }
        return errors;
    }
}
