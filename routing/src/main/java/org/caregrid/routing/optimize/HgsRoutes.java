package org.caregrid.routing.optimize;

/** Whole-route work on the search's result: pricing, the schedule, repair to feasibility, urgent visits first. */
final class HgsRoutes {
    private HgsRoutes() {
    }

    static RouteSegment evaluate(HgsProblem p, int vehicle, int[] route) {
        long[][] t = p.time[p.profileOf[vehicle]];
        long[][] c = p.cost[p.profileOf[vehicle]];
        RouteSegment acc = new RouteSegment();
        RouteSegment node = new RouteSegment();
        acc.setNode(p, p.startDepot(vehicle));
        for (int visit : route) {
            node.setNode(p, visit);
            acc.append(node, t, c);
        }
        node.setNode(p, p.endDepot(vehicle));
        acc.append(node, t, c);
        return acc;
    }

    static long violation(HgsProblem p, int vehicle, int[] route) {
        RouteSegment s = evaluate(p, vehicle, route);
        return s.loadExcess(p.capacity[vehicle]) + s.stopExcess(p.maxStops[vehicle]) + s.timeWarp;
    }

    /**
     * When service begins at each stop (start depot first, end depot last): leaving as late as the route allows
     * without arriving later anywhere, then as early as each window allows.
     */
    static long[] serviceStarts(HgsProblem p, int vehicle, int[] route) {
        RouteSegment whole = evaluate(p, vehicle, route);
        long[][] t = p.time[p.profileOf[vehicle]];
        long[] starts = new long[route.length + 2];
        int start = p.startDepot(vehicle);
        long time = Math.max(p.earliest[start], Math.min(whole.latest, p.latest[start]));
        starts[0] = time;
        int at = start;
        for (int i = 0; i <= route.length; i++) {
            int node = i < route.length ? route[i] : p.endDepot(vehicle);
            time = Math.max(time + p.service[at] + t[at][node], p.earliest[node]);
            starts[i + 1] = time;
            at = node;
        }
        return starts;
    }

    /**
     * The search returns a feasible plan whenever it found one; else (a short time limit on a hard problem) visits
     * are dropped, pairs together, each time the one whose removal cuts the route's violation most (of those the
     * one with the smallest prize, so urgent ones stay), until every route keeps every constraint. A route of depots only is feasible: its vehicle passed the diagnosis.
     */
    static int[][] makeFeasible(HgsProblem p, int[][] routes) {
        int[][] result = new int[routes.length][];
        for (int v = 0; v < routes.length; v++) {
            int[] route = routes[v].clone();
            while (route.length > 0 && violation(p, v, route) > 0) {
                int[] best = null;
                long bestViolation = Long.MAX_VALUE;
                double bestPrize = Double.MAX_VALUE;
                for (int i = 0; i < route.length; i++) {
                    if (p.pairOf[route[i]] >= 0 && !p.isPickup[route[i]]) {
                        continue;
                    }
                    int[] shorter = without(p, route, route[i]);
                    long violation = violation(p, v, shorter);
                    double prize = p.prizeWithPartner(route[i]);
                    if (violation < bestViolation || (violation == bestViolation && prize < bestPrize)) {
                        bestViolation = violation;
                        bestPrize = prize;
                        best = shorter;
                    }
                }
                route = best;
            }
            result[v] = route;
        }
        return result;
    }

    private static int[] without(HgsProblem p, int[] route, int visit) {
        int partner = p.pairOf[visit];
        int[] shorter = new int[route.length - (partner >= 0 ? 2 : 1)];
        int k = 0;
        for (int node : route) {
            if (node != visit && node != partner) {
                shorter[k++] = node;
            }
        }
        return shorter;
    }

    /**
     * Urgent deliveries as early in their route as travel cost allows: each one moves to the earliest place that
     * keeps the route feasible, its pickup before it and the route no dearer, and that starts its service sooner.
     */
    static void urgentFirst(HgsProblem p, int[][] routes, boolean[] urgent) {
        for (int v = 0; v < routes.length; v++) {
            int[] route = routes[v];
            for (int i = 0; i < route.length; i++) {
                int visit = route[i];
                if (!urgent[visit]) {
                    continue;
                }
                long cost = evaluate(p, v, route).cost;
                long serviceStart = serviceStarts(p, v, route)[i + 1];
                for (int to = 0; to < i; to++) {
                    int[] moved = moveEarlier(route, i, to);
                    if (!pickupsBeforeDeliveries(p, moved)) {
                        continue;
                    }
                    RouteSegment s = evaluate(p, v, moved);
                    if (s.cost <= cost && violation(p, v, moved) == 0
                            && serviceStarts(p, v, moved)[to + 1] < serviceStart) {
                        route = moved;
                        break;
                    }
                }
            }
            routes[v] = route;
        }
    }

    private static int[] moveEarlier(int[] route, int from, int to) {
        int[] moved = route.clone();
        int visit = route[from];
        System.arraycopy(route, to, moved, to + 1, from - to);
        moved[to] = visit;
        return moved;
    }

    static boolean pickupsBeforeDeliveries(HgsProblem p, int[] route) {
        boolean[] seen = new boolean[p.visits];
        for (int visit : route) {
            int partner = p.pairOf[visit];
            if (partner >= 0 && !p.isPickup[visit] && !seen[partner]) {
                return false;
            }
            seen[visit] = true;
        }
        return true;
    }
}
