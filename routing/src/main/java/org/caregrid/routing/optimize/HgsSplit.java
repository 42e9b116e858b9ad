package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a giant tour into routes, optimally for the tour's order: a Bellman recursion over the vehicles in their
 * order, vehicle k taking the k-th (possibly empty) run of the tour, each run priced with that vehicle's own
 * depots, shift, capacity and matrices, with penalised load and time warp. This one recursion covers the
 * capacitated, the time-window and the heterogeneous multi-depot cases alike (the linear split of Vidal 2016 is
 * faster but needs one depot and one vehicle type). A run may not hold a visit its vehicle may not serve, nor
 * half of a pickup-and-delivery pair.
 */
final class HgsSplit {
    private final HgsProblem p;
    private final RouteSegment run = new RouteSegment();
    private final RouteSegment node = new RouteSegment();
    private final RouteSegment closed = new RouteSegment();

    HgsSplit(HgsProblem p) {
        this.p = p;
    }

    int[][] split(int[] tour, HgsPenalties penalties) {
        int n = tour.length;
        int vehicles = p.vehicles;
        int[] position = new int[p.visits];
        Arrays.fill(position, -1);
        for (int i = 0; i < n; i++) {
            position[tour[i]] = i;
        }
        double[][] best = new double[vehicles + 1][n + 1];
        int[][] from = new int[vehicles + 1][n + 1];
        for (double[] row : best) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        best[0][0] = 0;
        long maxDemand = 1;
        for (int i = 0; i < p.visits; i++) {
            maxDemand = Math.max(maxDemand, p.startLoad[i] + Math.abs(p.loadChange[i]));
        }
        // Interchangeable vehicles price a run alike: consecutive vehicles of one class share the run costs, so a
        // fleet of 25 equal vehicles walks each run once instead of 25 times.
        double[][] runCosts = new double[n + 1][];
        int cachedClass = -1;
        for (int k = 0; k < vehicles; k++) {
            boolean last = k == vehicles - 1;
            if (last || p.vehicleClass[k] != cachedClass) {
                Arrays.fill(runCosts, null);
                cachedClass = last ? -1 : p.vehicleClass[k];
            }
            // Runs far beyond capacity are never the best: stop extending them (except for the last vehicle).
            long loadLimit = last ? Long.MAX_VALUE : 2 * p.capacity[k] + maxDemand;
            for (int i = 0; i <= n; i++) {
                if (best[k][i] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                if (best[k][i] < best[k + 1][i]) {
                    best[k + 1][i] = best[k][i];
                    from[k + 1][i] = i;
                }
                if (runCosts[i] == null) {
                    runCosts[i] = runCosts(tour, position, i, k, loadLimit, last, penalties);
                }
                double[] costs = runCosts[i];
                for (int length = 1; length <= costs.length; length++) {
                    double total = best[k][i] + costs[length - 1];
                    if (total < best[k + 1][i + length]) {
                        best[k + 1][i + length] = total;
                        from[k + 1][i + length] = i;
                    }
                }
            }
        }
        int[][] routes = new int[vehicles][];
        if (best[vehicles][n] == Double.POSITIVE_INFINITY) {
            return fallback(tour);
        }
        int end = n;
        for (int k = vehicles; k > 0; k--) {
            int start = from[k][end];
            routes[k - 1] = Arrays.copyOfRange(tour, start, end);
            end = start;
        }
        return routes;
    }

    /**
     * Penalised cost of vehicle k serving the run of the tour from {@code i}, per run length (index length - 1;
     * infinite where the run may not end there, as when it would split a pair). Stops at the first visit the
     * vehicle may not serve, a pair cut at i, or the load limit. With {@code toTheEnd} only the run to the tour's
     * end is priced (the last vehicle must take all that is left).
     */
    private double[] runCosts(int[] tour, int[] position, int i, int k, long loadLimit, boolean toTheEnd,
                              HgsPenalties penalties) {
        long[][] t = p.time[p.profileOf[k]];
        long[][] c = p.cost[p.profileOf[k]];
        int n = tour.length;
        double[] costs = new double[n - i];
        Arrays.fill(costs, Double.POSITIVE_INFINITY);
        run.setNode(p, p.startDepot(k));
        int open = 0;
        int j = i;
        for (; j < n; j++) {
            int visit = tour[j];
            if (!p.mayServe(visit, k)) {
                break;
            }
            int partner = p.pairOf[visit];
            if (partner >= 0) {
                if (p.isPickup[visit]) {
                    open++;
                } else if (position[partner] < i || position[partner] > j) {
                    break;
                } else {
                    open--;
                }
            }
            node.setNode(p, visit);
            run.append(node, t, c);
            if (run.startLoad + run.peakLoad > loadLimit) {
                break;
            }
            if (open == 0 && (!toTheEnd || j == n - 1)) {
                closed.copy(run);
                node.setNode(p, p.endDepot(k));
                closed.append(node, t, c);
                costs[j - i] = penalties.routeCost(p, closed, k);
            }
        }
        return j - i == costs.length ? costs : Arrays.copyOf(costs, j - i);
    }

    /**
     * When no cut respects every vehicle restriction (visits pinned to vehicles in an unlucky order), each visit
     * goes to the first vehicle allowed to serve it; a pair stays together because both halves share the
     * restriction. The local search repairs the rest.
     */
    private int[][] fallback(int[] tour) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int k = 0; k < p.vehicles; k++) {
            lists.add(new ArrayList<>());
        }
        for (int visit : tour) {
            int k = 0;
            while (k < p.vehicles - 1 && !p.mayServe(visit, k)) {
                k++;
            }
            lists.get(k).add(visit);
        }
        int[][] routes = new int[p.vehicles][];
        for (int k = 0; k < p.vehicles; k++) {
            routes[k] = lists.get(k).stream().mapToInt(Integer::intValue).toArray();
        }
        return routes;
    }
}
