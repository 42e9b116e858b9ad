package org.caregrid.routing.optimize;

/**
 * What the search needs to know about a run of consecutive stops to price it joined to other runs in O(1):
 * Vidal et al.'s (2013) time-window concatenation (duration, time warp, earliest and latest start) plus cost,
 * load and stops. Mutable and reused in the hot loops, so no object is allocated per evaluated move.
 */
final class RouteSegment {
    long duration;
    long timeWarp;
    long earliest;
    long latest;
    long cost;
    /** Goods on board from the start for the deliveries without a pickup in this run. */
    long startLoad;
    /** Load change over the run (pickups +, their deliveries −). */
    long netLoad;
    /** Highest load change reached at any point of the run (≥ 0, the empty prefix counts). */
    long peakLoad;
    int stops;
    int first;
    int last;
    boolean empty = true;

    void setNode(HgsProblem p, int node) {
        duration = p.service[node];
        timeWarp = 0;
        earliest = p.earliest[node];
        latest = p.latest[node];
        cost = 0;
        startLoad = p.startLoad[node];
        netLoad = p.loadChange[node];
        peakLoad = Math.max(0, netLoad);
        stops = p.stopCount[node];
        first = node;
        last = node;
        empty = false;
    }

    void copy(RouteSegment o) {
        duration = o.duration;
        timeWarp = o.timeWarp;
        earliest = o.earliest;
        latest = o.latest;
        cost = o.cost;
        startLoad = o.startLoad;
        netLoad = o.netLoad;
        peakLoad = o.peakLoad;
        stops = o.stops;
        first = o.first;
        last = o.last;
        empty = o.empty;
    }

    /** this := this followed by {@code next}, travelling with the given profile's matrices. */
    void append(RouteSegment next, long[][] time, long[][] costs) {
        if (next.empty) {
            return;
        }
        if (empty) {
            copy(next);
            return;
        }
        long travel = time[last][next.first];
        long delta = duration - timeWarp + travel;
        long wait = Math.max(next.earliest - delta - latest, 0);
        long warp = Math.max(earliest + delta - next.latest, 0);
        duration += next.duration + travel + wait;
        timeWarp += next.timeWarp + warp;
        earliest = Math.max(next.earliest - delta, earliest) - wait;
        latest = Math.min(next.latest - delta, latest) + warp;
        cost += next.cost + costs[last][next.first];
        peakLoad = Math.max(peakLoad, netLoad + next.peakLoad);
        netLoad += next.netLoad;
        startLoad += next.startLoad;
        stops += next.stops;
        last = next.last;
    }

    long loadExcess(long capacity) {
        return Math.max(0, startLoad + peakLoad - capacity);
    }

    long stopExcess(int maxStops) {
        return Math.max(0, stops - maxStops);
    }
}
