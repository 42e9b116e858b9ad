package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The problem the hybrid genetic search works on, free of caregrid's records: visits (a delivery, or a pickup
 * paired with its delivery) and vehicles, each vehicle with its own start and end node, shift, capacity, stop
 * limit and travel profile. Nodes 0..visits-1 are the visits; vehicle v starts at node visits + 2v and ends at
 * visits + 2v + 1, so one matrix per profile over all nodes covers several depots.
 */
final class HgsProblem {
    /** Travel time and cost of an arc without a route: far beyond any shift, still far from overflow. */
    static final long NO_ROUTE = 1_000_000_000L;
    private static final int GRANULARITY = 20;
    // Weights of waiting and of time warp in the proximity of two visits (as in PyVRP).
    private static final double WAIT_WEIGHT = 0.2;
    private static final double WARP_WEIGHT = 1.0;

    final int visits;
    final int vehicles;
    final int nodes;
    final long[] service;
    final long[] earliest;
    final long[] latest;
    final long[] startLoad;
    final long[] loadChange;
    final int[] stopCount;
    /** The other half of a pickup-and-delivery pair, or -1. */
    final int[] pairOf;
    final boolean[] isPickup;
    /** What leaving a visit out costs; for a pair, the delivery carries it and the pickup 0. */
    final double[] prize;
    /** allowed[visit] = the vehicles that may serve it, or null when all may. */
    final boolean[][] allowed;
    final int[] profileOf;
    final long[] capacity;
    final int[] maxStops;
    /** Vehicles with equal class are interchangeable (same profile, depots, shift, capacity, stops). */
    final int[] vehicleClass;
    final long[][][] time;
    final long[][][] cost;
    final int[][] neighbours;
    final boolean hasPairs;

    HgsProblem(int visits, long[] service, long[] earliest, long[] latest, long[] startLoad, long[] loadChange,
               int[] stopCount, int[] pairOf, boolean[] isPickup, double[] prize, boolean[][] allowed,
               int[] profileOf, long[] capacity, int[] maxStops, long[][][] time, long[][][] cost) {
        this.visits = visits;
        this.vehicles = profileOf.length;
        this.nodes = visits + 2 * vehicles;
        this.service = service;
        this.earliest = earliest;
        this.latest = latest;
        this.startLoad = startLoad;
        this.loadChange = loadChange;
        this.stopCount = stopCount;
        this.pairOf = pairOf;
        this.isPickup = isPickup;
        this.prize = prize;
        this.allowed = allowed;
        this.profileOf = profileOf;
        this.capacity = capacity;
        this.maxStops = maxStops;
        this.time = time;
        this.cost = cost;
        this.hasPairs = Arrays.stream(pairOf).anyMatch(p -> p >= 0);
        this.vehicleClass = classify();
        this.neighbours = granularNeighbours();
    }

    int startDepot(int vehicle) {
        return visits + 2 * vehicle;
    }

    int endDepot(int vehicle) {
        return visits + 2 * vehicle + 1;
    }

    boolean isDepot(int node) {
        return node >= visits;
    }

    boolean mayServe(int visit, int vehicle) {
        return allowed[visit] == null || allowed[visit][vehicle];
    }

    /** Prize of a visit together with its partner, if it has one. */
    double prizeWithPartner(int visit) {
        return pairOf[visit] < 0 ? prize[visit] : prize[visit] + prize[pairOf[visit]];
    }

    private int[] classify() {
        int[] classes = new int[vehicles];
        List<Integer> representatives = new ArrayList<>();
        for (int v = 0; v < vehicles; v++) {
            classes[v] = -1;
            for (int c = 0; c < representatives.size(); c++) {
                if (interchangeable(representatives.get(c), v)) {
                    classes[v] = c;
                    break;
                }
            }
            if (classes[v] < 0) {
                classes[v] = representatives.size();
                representatives.add(v);
            }
        }
        return classes;
    }

    private boolean interchangeable(int a, int b) {
        if (profileOf[a] != profileOf[b] || capacity[a] != capacity[b] || maxStops[a] != maxStops[b]) {
            return false;
        }
        int sa = startDepot(a);
        int sb = startDepot(b);
        long[][] t = time[profileOf[a]];
        // Same place when the travel between them is free both ways and their shifts are equal.
        boolean sameStart = t[sa][sb] == 0 && t[sb][sa] == 0;
        boolean sameEnd = t[sa + 1][sb + 1] == 0 && t[sb + 1][sa + 1] == 0;
        if (!sameStart || !sameEnd || earliest[sa] != earliest[sb] || latest[sa] != latest[sb]) {
            return false;
        }
        for (int i = 0; i < visits; i++) {
            if (allowed[i] != null && allowed[i][a] != allowed[i][b]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The granular neighbourhood: for each visit the visits closest to it by travel cost, waiting and time warp
     * (a visit whose window closes before another can be reached is far from it), made symmetric.
     */
    private int[][] granularNeighbours() {
        int[][] result = new int[visits][];
        List<Set<Integer>> sets = new ArrayList<>();
        for (int i = 0; i < visits; i++) {
            sets.add(new LinkedHashSet<>());
        }
        Integer[] order = new Integer[visits];
        double[] proximity = new double[visits];
        for (int i = 0; i < visits; i++) {
            for (int j = 0; j < visits; j++) {
                proximity[j] = j == i ? Double.MAX_VALUE : Math.min(proximity(i, j), proximity(j, i));
                order[j] = j;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> proximity[j]).thenComparingInt(j -> j));
            int count = Math.min(GRANULARITY, visits - 1);
            for (int k = 0; k < count; k++) {
                sets.get(i).add(order[k]);
            }
        }
        for (int i = 0; i < visits; i++) {
            for (int j : List.copyOf(sets.get(i))) {
                sets.get(j).add(i);
            }
        }
        for (int i = 0; i < visits; i++) {
            result[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private double proximity(int i, int j) {
        double best = Double.MAX_VALUE;
        for (int p = 0; p < time.length; p++) {
            long t = time[p][i][j];
            double value = cost[p][i][j]
                    + WAIT_WEIGHT * Math.max(earliest[j] - t - service[i] - latest[i], 0)
                    + WARP_WEIGHT * Math.max(earliest[i] + service[i] + t - latest[j], 0);
            best = Math.min(best, value);
        }
        return best;
    }
}
