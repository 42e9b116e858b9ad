package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One individual of the population: a route (visits in order) per vehicle and the visits left out, with its
 * cost, infeasibility and the neighbours of each visit (for the broken-pairs distance).
 */
final class HgsSolution {
    final int[][] routes;
    final boolean[] served;
    /** Travel cost plus the prizes of the visits left out. */
    final double objective;
    final long loadExcess;
    final long timeWarp;
    final boolean feasible;
    double penalisedCost;
    /** Successor and predecessor of each visit; -1 for a depot. */
    final int[] successor;
    final int[] predecessor;
    double biasedFitness;
    /** Other individuals of the same subpopulation, nearest (broken-pairs distance) first. */
    final List<Neighbour> closest = new ArrayList<>();

    record Neighbour(double distance, HgsSolution other) {
    }

    HgsSolution(HgsProblem p, int[][] routes, HgsPenalties penalties) {
        this.routes = routes;
        this.served = new boolean[p.visits];
        this.successor = new int[p.visits];
        this.predecessor = new int[p.visits];
        RouteSegment acc = new RouteSegment();
        RouteSegment node = new RouteSegment();
        double travel = 0;
        long load = 0;
        long warp = 0;
        for (int v = 0; v < routes.length; v++) {
            int[] route = routes[v];
            if (route.length == 0) {
                continue;
            }
            long[][] t = p.time[p.profileOf[v]];
            long[][] c = p.cost[p.profileOf[v]];
            acc.setNode(p, p.startDepot(v));
            for (int i = 0; i < route.length; i++) {
                node.setNode(p, route[i]);
                acc.append(node, t, c);
                served[route[i]] = true;
                predecessor[route[i]] = i == 0 ? -1 : route[i - 1];
                successor[route[i]] = i == route.length - 1 ? -1 : route[i + 1];
            }
            node.setNode(p, p.endDepot(v));
            acc.append(node, t, c);
            travel += acc.cost;
            load += acc.loadExcess(p.capacity[v]) + acc.stopExcess(p.maxStops[v]);
            warp += acc.timeWarp;
        }
        for (int i = 0; i < p.visits; i++) {
            if (!served[i]) {
                travel += p.prize[i];
                successor[i] = -2;
                predecessor[i] = -2;
            }
        }
        this.objective = travel;
        this.loadExcess = load;
        this.timeWarp = warp;
        this.feasible = load == 0 && warp == 0;
        reprice(penalties);
    }

    void reprice(HgsPenalties penalties) {
        penalisedCost = objective + penalties.load * loadExcess + penalties.warp * timeWarp;
    }

    /** All visits, route after route, the left-out ones last: the chromosome crossover works on. */
    int[] giantTour() {
        int[] tour = new int[served.length];
        int k = 0;
        for (int[] route : routes) {
            for (int visit : route) {
                tour[k++] = visit;
            }
        }
        for (int i = 0; i < served.length; i++) {
            if (!served[i]) {
                tour[k++] = i;
            }
        }
        return tour;
    }

    /** Share of visits whose neighbours differ (Prins' broken pairs, depots counted as one node). */
    double brokenPairsDistance(HgsSolution o) {
        int differences = 0;
        for (int j = 0; j < successor.length; j++) {
            if (successor[j] != o.successor[j] && successor[j] != o.predecessor[j]) {
                differences++;
            }
            if (predecessor[j] == -1 && o.predecessor[j] != -1 && o.successor[j] != -1) {
                differences++;
            }
        }
        return differences / (double) successor.length;
    }

    double averageDistanceToClosest(int count) {
        int n = Math.min(count, closest.size());
        if (n == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += closest.get(i).distance();
        }
        return sum / n;
    }

    boolean sameRoutes(HgsSolution o) {
        return Arrays.deepEquals(routes, o.routes);
    }
}
