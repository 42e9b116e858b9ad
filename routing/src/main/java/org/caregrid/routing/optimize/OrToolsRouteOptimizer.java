package org.caregrid.routing.optimize;

import com.google.ortools.Loader;
import com.google.ortools.constraintsolver.Assignment;
import com.google.ortools.constraintsolver.FirstSolutionStrategy;
import com.google.ortools.constraintsolver.LocalSearchMetaheuristic;
import com.google.ortools.constraintsolver.RoutingDimension;
import com.google.ortools.constraintsolver.RoutingIndexManager;
import com.google.ortools.constraintsolver.RoutingModel;
import com.google.ortools.constraintsolver.RoutingSearchParameters;
import com.google.ortools.constraintsolver.main;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RouteOptimizer} on Google OR-Tools' vehicle-routing solver: a pickup-and-delivery problem with time
 * windows, capacities and optional requests (disjunctions with drop penalties). Requests that no volunteer could
 * serve even alone are diagnosed beforehand and kept out of the model, so their reason is exact.
 */
public final class OrToolsRouteOptimizer implements RouteOptimizer {
    private static volatile boolean nativeLoaded;

    // Cost of an arc that has no route; far above any real cost, far below overflow.
    private static final long NO_ROUTE_COST = 1_000_000_000L;

    public OrToolsRouteOptimizer() {
        loadNativeOnce();
    }

    private static void loadNativeOnce() {
        if (!nativeLoaded) {
            synchronized (OrToolsRouteOptimizer.class) {
                if (!nativeLoaded) {
                    Loader.loadNativeLibraries(); // unpacks the native library from the jar; no network needed
                    nativeLoaded = true;
                }
            }
        }
    }

    @Override
    public DeliveryPlan planDeliveries(DeliveryProblem problem, SolverLimits limits) {
        Diagnosis diagnosis = Diagnosis.of(problem);
        if (diagnosis.servable().isEmpty() || diagnosis.usableVolunteers().isEmpty()) {
            return new DeliveryPlan(List.of(), diagnosis.unservable(), 0);
        }
        Model model = new Model(problem, diagnosis);
        return model.solve(limits);
    }

    /** One solver run: the node list, the OR-Tools model, and reading the answer back. */
    private static final class Model {
        private final DeliveryProblem problem;
        private final Diagnosis diagnosis;
        private final List<Volunteer> volunteers;
        private final List<Node> nodes = new ArrayList<>();
        private final boolean withPickups;

        /** A solver node: a volunteer's start or end, a pickup of one request at one pharmacy, or a delivery. */
        record Node(StopKind kind, int location, DeliveryRequest request, Pharmacy pharmacy, long serviceSeconds,
                    TimeWindow window, long loadChange) {
        }

        Model(DeliveryProblem problem, Diagnosis diagnosis) {
            this.problem = problem;
            this.diagnosis = diagnosis;
            this.volunteers = diagnosis.usableVolunteers();
            this.withPickups = !problem.pharmacies().isEmpty();
            for (Volunteer v : volunteers) {
                nodes.add(new Node(StopKind.START, v.startLocation(), null, null, 0, v.shift(), 0));
                nodes.add(new Node(StopKind.END, v.endLocation(), null, null, 0, v.shift(), 0));
            }
        }

        DeliveryPlan solve(SolverLimits limits) {
            int vehicleCount = volunteers.size();
            int[] starts = new int[vehicleCount];
            int[] ends = new int[vehicleCount];
            for (int v = 0; v < vehicleCount; v++) {
                starts[v] = 2 * v;
                ends[v] = 2 * v + 1;
            }
            // Request nodes: the delivery, then one pickup node per allowed pharmacy.
            List<Diagnosis.Servable> servable = diagnosis.servable();
            int[] deliveryNode = new int[servable.size()];
            int[][] pickupNodes = new int[servable.size()][];
            for (int r = 0; r < servable.size(); r++) {
                Diagnosis.Servable s = servable.get(r);
                DeliveryRequest request = s.request();
                deliveryNode[r] = nodes.size();
                nodes.add(new Node(StopKind.DELIVERY, request.location(), request, null, request.serviceSeconds(),
                        request.window(), withPickups ? -request.demand() : request.demand()));
                pickupNodes[r] = new int[s.pharmacies().size()];
                for (int p = 0; p < s.pharmacies().size(); p++) {
                    Pharmacy pharmacy = s.pharmacies().get(p);
                    pickupNodes[r][p] = nodes.size();
                    nodes.add(new Node(StopKind.PICKUP, pharmacy.location(), request, pharmacy,
                            pharmacy.serviceSeconds(), pharmacy.openingHours(), request.demand()));
                }
            }

            RoutingIndexManager manager = new RoutingIndexManager(nodes.size(), vehicleCount, starts, ends);
            RoutingModel routing = new RoutingModel(manager);
            long horizon = volunteers.stream().mapToLong(v -> v.shift().latest()).max().orElse(0) + 1;
            long noRouteTime = horizon + 1;

            // Travel time and cost per profile, precomputed node by node. Java callbacks rather than
            // registerTransitMatrix: with the latter, guided local search stalled on the Solomon instances
            // (C101 stuck at +3.3 % against +0.2 % with callbacks, same 10 s).
            Map<String, Integer> timeCallbacks = new HashMap<>();
            Map<String, Integer> costCallbacks = new HashMap<>();
            int[] vehicleTime = new int[vehicleCount];
            for (int v = 0; v < vehicleCount; v++) {
                String profile = volunteers.get(v).profile();
                TravelCosts costs = problem.costsByProfile().get(profile);
                int time = timeCallbacks.computeIfAbsent(profile, k -> {
                    long[][] matrix = nodeMatrix(costs, true, noRouteTime);
                    return routing.registerTransitCallback(
                            (from, to) -> matrix[manager.indexToNode(from)][manager.indexToNode(to)]);
                });
                int cost = costCallbacks.computeIfAbsent(profile, k -> {
                    long[][] matrix = nodeMatrix(costs, false, noRouteTime);
                    return routing.registerTransitCallback(
                            (from, to) -> matrix[manager.indexToNode(from)][manager.indexToNode(to)]);
                });
                vehicleTime[v] = time;
                routing.setArcCostEvaluatorOfVehicle(cost, v);
            }

            routing.addDimensionWithVehicleTransits(vehicleTime, horizon, horizon, false, "time");
            RoutingDimension time = routing.getMutableDimension("time");
            int loadCallback = routing.registerUnaryTransitVector(nodes.stream().mapToLong(Node::loadChange).toArray());
            long[] capacities = volunteers.stream().mapToLong(Volunteer::capacity).toArray();
            routing.addDimensionWithVehicleCapacity(loadCallback, 0, capacities, true, "load");
            RoutingDimension load = routing.getMutableDimension("load");
            int stopCallback = routing.registerUnaryTransitVector(
                    nodes.stream().mapToLong(n -> n.kind() == StopKind.DELIVERY ? 1 : 0).toArray());
            long[] maxStops = volunteers.stream().mapToLong(v -> v.maxStops() <= 0 ? nodes.size() : v.maxStops()).toArray();
            routing.addDimensionWithVehicleCapacity(stopCallback, 0, maxStops, true, "stops");

            for (int v = 0; v < vehicleCount; v++) {
                TimeWindow shift = volunteers.get(v).shift();
                time.cumulVar(routing.start(v)).setRange(shift.earliest(), shift.latest());
                time.cumulVar(routing.end(v)).setRange(shift.earliest(), shift.latest());
                // Leave as late as possible and come back as early as possible: no idle time at home is counted.
                routing.addVariableMaximizedByFinalizer(time.cumulVar(routing.start(v)));
                routing.addVariableMinimizedByFinalizer(time.cumulVar(routing.end(v)));
            }

            long normalPenalty = problem.dropPenalty();
            long urgentPenalty = 100 * normalPenalty;
            for (int r = 0; r < servable.size(); r++) {
                Diagnosis.Servable s = servable.get(r);
                DeliveryRequest request = s.request();
                long delivery = manager.nodeToIndex(deliveryNode[r]);
                time.cumulVar(delivery).setRange(request.window().earliest(), request.window().latest());
                long penalty = request.urgent() ? urgentPenalty : normalPenalty;
                int deliveryDisjunction = routing.addDisjunction(new long[]{delivery}, penalty);
                if (request.urgent()) {
                    // Sooner is better for urgent requests: every second after the window opens costs a little.
                    time.setCumulVarSoftUpperBound(delivery, request.window().earliest(), 1);
                }
                restrictVehicles(routing, delivery, s.volunteerIndices(), vehicleCount);
                if (pickupNodes[r].length == 0) {
                    continue;
                }
                long[] pickups = new long[pickupNodes[r].length];
                for (int p = 0; p < pickups.length; p++) {
                    pickups[p] = manager.nodeToIndex(pickupNodes[r][p]);
                    TimeWindow open = s.pharmacies().get(p).openingHours();
                    time.cumulVar(pickups[p]).setRange(open.earliest(), open.latest());
                    restrictVehicles(routing, pickups[p], s.volunteerIndices(), vehicleCount);
                }
                if (pickups.length == 1) {
                    routing.addDisjunction(pickups, 0);
                    routing.addPickupAndDelivery(pickups[0], delivery);
                    routing.solver().addConstraint(routing.solver().makeEquality(
                            routing.vehicleVar(pickups[0]), routing.vehicleVar(delivery)));
                    routing.solver().addConstraint(routing.solver().makeLessOrEqual(
                            time.cumulVar(pickups[0]), time.cumulVar(delivery)));
                } else {
                    // Any one of the allowed pharmacies; OR-Tools keeps the chosen pickup on the same route, before.
                    int pickupDisjunction = routing.addDisjunction(pickups, 0, 1);
                    routing.addPickupAndDeliverySets(pickupDisjunction, deliveryDisjunction);
                }
            }

            RoutingSearchParameters parameters = main.defaultRoutingSearchParameters().toBuilder()
                    .setFirstSolutionStrategy(withPickups
                            ? FirstSolutionStrategy.Value.PARALLEL_CHEAPEST_INSERTION
                            : FirstSolutionStrategy.Value.PATH_CHEAPEST_ARC)
                    .setLocalSearchMetaheuristic(LocalSearchMetaheuristic.Value.GUIDED_LOCAL_SEARCH)
                    .setTimeLimit(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(limits.timeLimit().getSeconds())
                            .setNanos(limits.timeLimit().getNano()))
                    .build();
            Assignment solution = routing.solveWithParameters(parameters);

            List<UnservedRequest> unserved = new ArrayList<>(diagnosis.unservable());
            if (solution == null) {
                for (Diagnosis.Servable s : servable) {
                    unserved.add(new UnservedRequest(s.request().id(), UnservedRequest.Reason.NOT_ASSIGNED_BY_SOLVER,
                            "the solver found no plan within " + limits.timeLimit().toSeconds() + " s"));
                }
                return new DeliveryPlan(List.of(), unserved, 0);
            }
            for (int r = 0; r < servable.size(); r++) {
                long delivery = manager.nodeToIndex(deliveryNode[r]);
                if (solution.value(routing.nextVar(delivery)) == delivery) {
                    unserved.add(new UnservedRequest(servable.get(r).request().id(),
                            UnservedRequest.Reason.NOT_ASSIGNED_BY_SOLVER,
                            "feasible alone, but capacity, time or stops went to other (or urgent) requests"));
                }
            }
            List<VolunteerRoute> routes = new ArrayList<>();
            long totalCost = 0;
            for (int v = 0; v < vehicleCount; v++) {
                long index = routing.start(v);
                if (routing.isEnd(solution.value(routing.nextVar(index)))) {
                    continue; // this volunteer stays at home
                }
                List<PlannedStop> stops = new ArrayList<>();
                long cost = 0;
                while (true) {
                    Node node = nodes.get(manager.indexToNode(index));
                    long loadLeaving = solution.value(load.cumulVar(index)) + (routing.isEnd(index) ? 0 : node.loadChange());
                    stops.add(new PlannedStop(node.kind(), node.request() == null ? null : node.request().id(),
                            node.pharmacy() == null ? null : node.pharmacy().id(), node.location(),
                            solution.min(time.cumulVar(index)), loadLeaving));
                    if (routing.isEnd(index)) {
                        break;
                    }
                    long next = solution.value(routing.nextVar(index));
                    cost += routing.getArcCostForVehicle(index, next, v);
                    index = next;
                }
                long duration = solution.min(time.cumulVar(routing.end(v))) - solution.max(time.cumulVar(routing.start(v)));
                routes.add(new VolunteerRoute(volunteers.get(v).id(), stops, cost, duration));
                totalCost += cost;
            }
            return new DeliveryPlan(routes, unserved, totalCost);
        }

        /** Time (service at the origin + travel) or cost between solver nodes; a missing road is made prohibitive. */
        private long[][] nodeMatrix(TravelCosts costs, boolean time, long noRouteTime) {
            long[][] matrix = new long[nodes.size()][nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                Node a = nodes.get(i);
                for (int j = 0; j < nodes.size(); j++) {
                    Node b = nodes.get(j);
                    boolean reachable = costs.reachable(a.location(), b.location());
                    if (time) {
                        matrix[i][j] = reachable ? a.serviceSeconds() + costs.seconds()[a.location()][b.location()] : noRouteTime;
                    } else {
                        matrix[i][j] = reachable ? costs.cost()[a.location()][b.location()] : NO_ROUTE_COST;
                    }
                }
            }
            return matrix;
        }

        private static void restrictVehicles(RoutingModel routing, long index, List<Integer> allowed, int vehicleCount) {
            if (allowed.size() == vehicleCount) {
                return;
            }
            for (int v = 0; v < vehicleCount; v++) {
                if (!allowed.contains(v)) {
                    routing.vehicleVar(index).removeValue(v);
                }
            }
        }
    }
}
