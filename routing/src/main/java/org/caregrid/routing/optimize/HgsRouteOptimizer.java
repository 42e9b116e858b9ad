package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@link RouteOptimizer} by hybrid genetic search (Vidal 2022, "Hybrid genetic search for the CVRP: open-source
 * implementation and SWAP* neighborhood"; Wouda, Lan and Kool 2024, "PyVRP"), written for caregrid's problem:
 * capacities, time windows and service times, pickup at the pharmacy before the delivery by the same volunteer,
 * each volunteer's own start, end, shift, stop limit and travel profile, requests pinned to a volunteer, and
 * optional requests with a prize (urgent ones a hundred times more) so that what cannot fit comes back unserved.
 *
 * <p>Requests no volunteer could serve even alone are diagnosed first ({@link Diagnosis}) and kept out. With
 * pharmacies, a request becomes a pickup visit and a delivery visit that always share a route, pickup first; an
 * untied request is fetched from the pharmacy that makes its cheapest lone trip. With {@code threads > 1} that
 * many independent searches run side by side (seeds seed, seed + 1, ...) and the best plan wins, so an iteration
 * limit still gives the same plan on every run.
 */
public final class HgsRouteOptimizer implements RouteOptimizer {

    @Override
    public DeliveryPlan planDeliveries(DeliveryProblem problem, SolverLimits limits) {
        Diagnosis diagnosis = Diagnosis.of(problem);
        if (diagnosis.servable().isEmpty() || diagnosis.usableVolunteers().isEmpty()) {
            return new DeliveryPlan(List.of(), diagnosis.unservable(), 0);
        }
        Translation t = new Translation(problem, diagnosis);
        int[][] routes = HgsRoutes.makeFeasible(t.hgs, search(t.hgs, limits));
        HgsRoutes.urgentFirst(t.hgs, routes, t.urgent);
        return t.plan(routes);
    }

    private static int[][] search(HgsProblem hgs, SolverLimits limits) {
        long deadline = System.nanoTime() + limits.timeLimit().toNanos();
        int threads = Math.max(1, limits.threads());
        AtomicReferenceArray<HgsSolution> results = new AtomicReferenceArray<>(threads);
        AtomicLongArray iterations = new AtomicLongArray(threads);
        List<Thread> workers = new ArrayList<>();
        for (int i = 1; i < threads; i++) {
            int index = i;
            Thread worker = new Thread(() -> {
                HgsSearch search = new HgsSearch(hgs, limits.seed() + index, deadline, limits.maxIterations(),
                        limits.cancellation());
                results.set(index, search.run());
                iterations.set(index, search.iterations());
            }, "hgs-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        HgsSearch own = new HgsSearch(hgs, limits.seed(), deadline, limits.maxIterations(), limits.cancellation());
        results.set(0, own.run());
        iterations.set(0, own.iterations());
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        HgsSolution best = null;
        for (int i = 0; i < threads; i++) {
            HgsSolution s = results.get(i);
            if (s != null && (best == null || better(s, best))) {
                best = s;
            }
        }
        if (Boolean.getBoolean("caregrid.hgs.verbose")) {
            System.err.printf("hgs: %d visits, iterations per thread %s, best %s %.1f%n", hgs.visits, iterations,
                    best.feasible ? "feasible" : "infeasible", best.objective);
        }
        return best.routes;
    }

    private static boolean better(HgsSolution a, HgsSolution b) {
        if (a.feasible != b.feasible) {
            return a.feasible;
        }
        return a.feasible ? a.objective < b.objective : a.penalisedCost < b.penalisedCost;
    }

    /** From caregrid's records to the search's arrays and back. */
    private static final class Translation {
        final List<UnservedRequest> unservable;
        final List<Volunteer> volunteers;
        final HgsProblem hgs;
        final List<DeliveryRequest> requestOfVisit = new ArrayList<>();
        final List<Pharmacy> pharmacyOfVisit = new ArrayList<>();
        final boolean[] urgent;
        final int[] location;
        final TravelCosts[] costsOfVehicle;

        Translation(DeliveryProblem problem, Diagnosis diagnosis) {
            this.unservable = diagnosis.unservable();
            this.volunteers = diagnosis.usableVolunteers();
            boolean withPickups = !problem.pharmacies().isEmpty();
            int vehicles = volunteers.size();
            costsOfVehicle = new TravelCosts[vehicles];
            Map<String, Integer> profileIndex = new HashMap<>();
            List<TravelCosts> profiles = new ArrayList<>();
            int[] profileOf = new int[vehicles];
            for (int v = 0; v < vehicles; v++) {
                String profile = volunteers.get(v).profile();
                TravelCosts costs = problem.costsByProfile().get(profile);
                costsOfVehicle[v] = costs;
                profileOf[v] = profileIndex.computeIfAbsent(profile, k -> {
                    profiles.add(costs);
                    return profiles.size() - 1;
                });
            }
            long normalPrize = problem.dropPenalty();
            List<Diagnosis.Servable> servable = diagnosis.servable();
            int visits = withPickups ? 2 * servable.size() : servable.size();
            int nodes = visits + 2 * vehicles;
            long[] service = new long[nodes];
            long[] earliest = new long[nodes];
            long[] latest = new long[nodes];
            long[] startLoad = new long[nodes];
            long[] loadChange = new long[nodes];
            int[] stopCount = new int[nodes];
            int[] pairOf = new int[nodes];
            boolean[] isPickup = new boolean[nodes];
            double[] prize = new double[visits];
            boolean[][] allowed = new boolean[visits][];
            urgent = new boolean[visits];
            location = new int[nodes];
            Arrays.fill(pairOf, -1);
            int visit = 0;
            for (Diagnosis.Servable s : servable) {
                DeliveryRequest request = s.request();
                boolean[] who = null;
                if (s.volunteerIndices().size() < vehicles) {
                    who = new boolean[vehicles];
                    for (int v : s.volunteerIndices()) {
                        who[v] = true;
                    }
                }
                if (withPickups) {
                    Pharmacy pharmacy = cheapestPharmacy(s);
                    requestOfVisit.add(request);
                    pharmacyOfVisit.add(pharmacy);
                    location[visit] = pharmacy.location();
                    service[visit] = pharmacy.serviceSeconds();
                    earliest[visit] = pharmacy.openingHours().earliest();
                    latest[visit] = pharmacy.openingHours().latest();
                    loadChange[visit] = request.demand();
                    isPickup[visit] = true;
                    pairOf[visit] = visit + 1;
                    pairOf[visit + 1] = visit;
                    allowed[visit] = who;
                    visit++;
                    loadChange[visit] = -request.demand();
                } else {
                    startLoad[visit] = request.demand();
                    loadChange[visit] = -request.demand();
                }
                requestOfVisit.add(request);
                pharmacyOfVisit.add(null);
                location[visit] = request.location();
                service[visit] = request.serviceSeconds();
                earliest[visit] = request.window().earliest();
                latest[visit] = request.window().latest();
                stopCount[visit] = 1;
                prize[visit] = request.urgent() ? 100.0 * normalPrize : normalPrize;
                urgent[visit] = request.urgent();
                allowed[visit] = who;
                visit++;
            }
            long[] capacity = new long[vehicles];
            int[] maxStops = new int[vehicles];
            for (int v = 0; v < vehicles; v++) {
                Volunteer volunteer = volunteers.get(v);
                int start = visits + 2 * v;
                location[start] = volunteer.startLocation();
                location[start + 1] = volunteer.endLocation();
                for (int d = start; d <= start + 1; d++) {
                    earliest[d] = volunteer.shift().earliest();
                    latest[d] = volunteer.shift().latest();
                }
                capacity[v] = volunteer.capacity();
                maxStops[v] = volunteer.maxStops() <= 0 ? Integer.MAX_VALUE / 2 : volunteer.maxStops();
            }
            long[][][] time = new long[profiles.size()][][];
            long[][][] cost = new long[profiles.size()][][];
            for (int k = 0; k < profiles.size(); k++) {
                TravelCosts costs = profiles.get(k);
                time[k] = new long[nodes][nodes];
                cost[k] = new long[nodes][nodes];
                for (int i = 0; i < nodes; i++) {
                    for (int j = 0; j < nodes; j++) {
                        int a = location[i];
                        int b = location[j];
                        boolean reachable = costs.reachable(a, b);
                        time[k][i][j] = reachable ? costs.seconds()[a][b] : HgsProblem.NO_ROUTE;
                        cost[k][i][j] = reachable ? costs.cost()[a][b] : HgsProblem.NO_ROUTE;
                    }
                }
            }
            hgs = new HgsProblem(visits, service, earliest, latest, startLoad, loadChange, stopCount, pairOf, isPickup,
                    prize, allowed, profileOf, capacity, maxStops, time, cost);
        }

        /** The pharmacy that makes the cheapest lone trip start → pharmacy → household → end for some volunteer. */
        private Pharmacy cheapestPharmacy(Diagnosis.Servable s) {
            Pharmacy best = null;
            long bestCost = Long.MAX_VALUE;
            for (Pharmacy pharmacy : s.pharmacies()) {
                for (int v : s.volunteerIndices()) {
                    Volunteer volunteer = volunteers.get(v);
                    TravelCosts c = costsOfVehicle[v];
                    int home = s.request().location();
                    if (!c.reachable(volunteer.startLocation(), pharmacy.location())
                            || !c.reachable(pharmacy.location(), home) || !c.reachable(home, volunteer.endLocation())) {
                        continue;
                    }
                    long trip = c.cost()[volunteer.startLocation()][pharmacy.location()]
                            + c.cost()[pharmacy.location()][home] + c.cost()[home][volunteer.endLocation()];
                    if (trip < bestCost) {
                        bestCost = trip;
                        best = pharmacy;
                    }
                }
            }
            return best != null ? best : s.pharmacies().get(0);
        }


        DeliveryPlan plan(int[][] routes) {
            List<VolunteerRoute> planned = new ArrayList<>();
            boolean[] served = new boolean[hgs.visits];
            long total = 0;
            for (int v = 0; v < routes.length; v++) {
                int[] route = routes[v];
                if (route.length == 0) {
                    continue;
                }
                long[] arrival = HgsRoutes.serviceStarts(hgs, v, route);
                TravelCosts costs = costsOfVehicle[v];
                List<PlannedStop> stops = new ArrayList<>();
                long load = 0;
                for (int visit : route) {
                    load += hgs.startLoad[visit];
                }
                int start = hgs.startDepot(v);
                stops.add(new PlannedStop(StopKind.START, null, null, location[start], arrival[0], load));
                long cost = 0;
                int at = location[start];
                for (int i = 0; i < route.length; i++) {
                    int visit = route[i];
                    served[visit] = true;
                    load += hgs.loadChange[visit];
                    Pharmacy pharmacy = pharmacyOfVisit.get(visit);
                    stops.add(new PlannedStop(pharmacy != null ? StopKind.PICKUP : StopKind.DELIVERY,
                            requestOfVisit.get(visit).id(), pharmacy != null ? pharmacy.id() : null, location[visit],
                            arrival[i + 1], load));
                    cost += costs.cost()[at][location[visit]];
                    at = location[visit];
                }
                int end = hgs.endDepot(v);
                cost += costs.cost()[at][location[end]];
                stops.add(new PlannedStop(StopKind.END, null, null, location[end], arrival[route.length + 1], load));
                planned.add(new VolunteerRoute(volunteers.get(v).id(), stops, cost,
                        arrival[route.length + 1] - arrival[0]));
                total += cost;
            }
            List<UnservedRequest> unserved = new ArrayList<>(unservable);
            for (int visit = 0; visit < hgs.visits; visit++) {
                if (!served[visit] && hgs.stopCount[visit] > 0) {
                    unserved.add(new UnservedRequest(requestOfVisit.get(visit).id(),
                            UnservedRequest.Reason.NOT_ASSIGNED_BY_SOLVER,
                            "feasible alone, but capacity, time or stops went to other (or urgent) requests"));
                }
            }
            return new DeliveryPlan(planned, unserved, total);
        }
    }
}
