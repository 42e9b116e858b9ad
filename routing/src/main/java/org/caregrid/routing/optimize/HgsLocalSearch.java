package org.caregrid.routing.optimize;

import java.util.Arrays;
import java.util.Random;

/**
 * The education step of the hybrid genetic search: first-improvement local search over the granular
 * neighbourhood (each visit U against its nearest visits V) with relocate of one or two visits, swap of one or
 * two against one or two, 2-opt inside a route and 2-opt* between routes, then SWAP* between routes that have
 * neighbouring visits. Moves between routes are priced in O(1) from each route's prefix and suffix segments;
 * moves inside a route are priced by walking it.
 *
 * <p>Pickup-and-delivery pairs: a pair always shares a route with the pickup first. A paired visit moves to
 * another route only together with its partner (pickup after V, delivery at the best later place); inside its
 * route it moves like any visit, and a move that would put the delivery before its pickup is not made; 2-opt*
 * only cuts where no pair is split. Visits are never moved onto a vehicle that may not serve them (pinned
 * requests). Visits with a finite prize may be left out when serving them costs more, and are put back when
 * that pays.
 */
final class HgsLocalSearch {
    private static final double EPSILON = 1e-6;
    private static final int PREFIX = 0;
    private static final int NODE = 1;
    private static final int SUFFIX = 2;
    private static final int RANGE = 3;
    private static final int REVERSED = 4;

    private final HgsProblem p;
    private final Random random;
    private HgsPenalties penalties;

    // Per node (visits and depots).
    private final int[] next;
    private final int[] prev;
    private final int[] routeOf;
    private final int[] position;
    private final boolean[] cleanCutAfter;
    private final RouteSegment[] single;
    private final RouteSegment[] prefix;
    private final RouteSegment[] suffix;
    private final long[] lastTested;

    // Per route.
    private final int[][] sequence;
    private final int[] length;
    private final double[] routeCost;
    private final long[] routeTravel;
    /** The time-warp part of the route's penalty: all a reordering inside a route without pairs can save. */
    private final double[] routeWarpCost;
    private final boolean[] routeHasPairs;
    private final long[] lastModified;
    private long moves;

    private final RouteSegment acc = new RouteSegment();
    private long[][] accTime;
    private long[][] accCost;
    private final Plan planA = new Plan();
    private final Plan planB = new Plan();
    private final int[] scratchA;
    private final int[] scratchB;
    private final int[][] shuffledNeighbours;
    private final int[] order;
    private final boolean anyRestriction;

    /** A candidate route as pieces of the current routes. */
    private static final class Plan {
        final int[] kind = new int[8];
        final int[] route = new int[8];
        final int[] from = new int[8];
        final int[] to = new int[8];
        int size;

        Plan reset() {
            size = 0;
            return this;
        }

        Plan add(int k, int r, int a, int b) {
            kind[size] = k;
            route[size] = r;
            from[size] = a;
            to[size] = b;
            size++;
            return this;
        }
    }

    HgsLocalSearch(HgsProblem p, Random random) {
        this.p = p;
        this.random = random;
        int nodes = p.nodes;
        next = new int[nodes];
        prev = new int[nodes];
        routeOf = new int[nodes];
        position = new int[nodes];
        cleanCutAfter = new boolean[nodes];
        single = new RouteSegment[nodes];
        prefix = new RouteSegment[nodes];
        suffix = new RouteSegment[nodes];
        for (int i = 0; i < nodes; i++) {
            single[i] = new RouteSegment();
            single[i].setNode(p, i);
            prefix[i] = new RouteSegment();
            suffix[i] = new RouteSegment();
        }
        lastTested = new long[p.visits];
        sequence = new int[p.vehicles][p.visits];
        length = new int[p.vehicles];
        routeCost = new double[p.vehicles];
        routeTravel = new long[p.vehicles];
        routeWarpCost = new double[p.vehicles];
        routeHasPairs = new boolean[p.vehicles];
        lastModified = new long[p.vehicles];
        scratchA = new int[p.visits];
        scratchB = new int[p.visits];
        shuffledNeighbours = new int[p.visits][];
        order = new int[p.visits];
        for (int i = 0; i < p.visits; i++) {
            shuffledNeighbours[i] = p.neighbours[i].clone();
            order[i] = i;
        }
        boolean restricted = false;
        for (boolean[] row : p.allowed) {
            restricted |= row != null;
        }
        anyRestriction = restricted;
    }

    /** Improves the given routes (one per vehicle) under the given penalties; visits in no route are left out. */
    int[][] improve(int[][] routes, HgsPenalties prices) {
        this.penalties = prices;
        Arrays.fill(routeOf, -1);
        for (int r = 0; r < p.vehicles; r++) {
            install(r, routes[r], routes[r].length);
        }
        moves = 1;
        Arrays.fill(lastTested, -1);
        Arrays.fill(lastModified, 0);
        shuffle(order);
        for (int[] list : shuffledNeighbours) {
            shuffle(list);
        }
        boolean improved = true;
        for (int loop = 0; improved; loop++) {
            improved = false;
            for (int u : order) {
                if (routeOf[u] < 0) {
                    improved |= tryInsert(u);
                    continue;
                }
                long tested = lastTested[u];
                lastTested[u] = moves;
                if (tryRemove(u)) {
                    improved = true;
                    continue;
                }
                for (int v : shuffledNeighbours[u]) {
                    if (routeOf[v] < 0 || routeOf[u] < 0) {
                        continue;
                    }
                    if (loop == 0 || Math.max(lastModified[routeOf[u]], lastModified[routeOf[v]]) > tested) {
                        if (tryPairOfVisits(u, v)) {
                            improved = true;
                        }
                    }
                }
                if (loop > 0 && routeOf[u] >= 0 && tryEmptyRoutes(u)) {
                    improved = true;
                }
            }
            if (!improved) {
                improved = swapStarPass();
            }
        }
        int[][] result = new int[p.vehicles][];
        for (int r = 0; r < p.vehicles; r++) {
            result[r] = Arrays.copyOf(sequence[r], length[r]);
        }
        return result;
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ---------------------------------------------------------------- route data

    private void install(int r, int[] visits, int count) {
        if (visits != sequence[r]) {
            System.arraycopy(visits, 0, sequence[r], 0, count);
        }
        length[r] = count;
        int start = p.startDepot(r);
        int end = p.endDepot(r);
        long[][] t = p.time[p.profileOf[r]];
        long[][] c = p.cost[p.profileOf[r]];
        routeOf[start] = r;
        routeOf[end] = r;
        position[start] = 0;
        position[end] = count + 1;
        prefix[start].copy(single[start]);
        int before = start;
        boolean pairs = false;
        int open = 0;
        cleanCutAfter[start] = true;
        for (int i = 0; i < count; i++) {
            int visit = sequence[r][i];
            routeOf[visit] = r;
            position[visit] = i + 1;
            prev[visit] = before;
            next[before] = visit;
            prefix[visit].copy(prefix[before]);
            prefix[visit].append(single[visit], t, c);
            if (p.pairOf[visit] >= 0) {
                pairs = true;
                open += p.isPickup[visit] ? 1 : -1;
            }
            cleanCutAfter[visit] = open == 0;
            before = visit;
        }
        next[before] = end;
        prev[end] = before;
        int after = -1;
        for (int i = count - 1; i >= 0; i--) {
            int visit = sequence[r][i];
            suffix[visit].copy(single[visit]);
            if (after >= 0) {
                suffix[visit].append(suffix[after], t, c);
            }
            after = visit;
        }
        acc.copy(prefix[before]);
        acc.append(single[end], t, c);
        routeCost[r] = penalties.routeCost(p, acc, r);
        routeTravel[r] = acc.cost;
        routeWarpCost[r] = penalties.warp * acc.timeWarp;
        routeHasPairs[r] = pairs;
        lastModified[r] = moves;
    }

    private double penaltyPart(int r) {
        return routeCost[r] - routeTravel[r];
    }

    private long arc(int r, int a, int b) {
        return p.cost[p.profileOf[r]][a][b];
    }

    private int nodeAt(int r, int pos) {
        if (pos == 0) {
            return p.startDepot(r);
        }
        return pos > length[r] ? p.endDepot(r) : sequence[r][pos - 1];
    }

    // ---------------------------------------------------------------- pricing candidate routes

    /** Penalised cost of the route of vehicle {@code r} made of the plan's pieces. */
    private double price(int r, Plan plan) {
        int profile = p.profileOf[r];
        accTime = p.time[profile];
        accCost = p.cost[profile];
        acc.copy(single[p.startDepot(r)]);
        for (int k = 0; k < plan.size; k++) {
            int pr = plan.route[k];
            int a = plan.from[k];
            int b = plan.to[k];
            switch (plan.kind[k]) {
                case PREFIX -> {
                    if (pr == r) {
                        acc.copy(prefix[nodeAt(pr, a)]);
                    } else {
                        appendRange(pr, 1, a);
                    }
                }
                case NODE -> acc.append(single[a], accTime, accCost);
                case SUFFIX -> {
                    if (a <= length[pr]) {
                        if (p.profileOf[pr] == profile) {
                            acc.append(suffix[sequence[pr][a - 1]], accTime, accCost);
                        } else {
                            appendRange(pr, a, length[pr]);
                        }
                    }
                }
                case RANGE -> appendRange(pr, a, b);
                default -> {
                    for (int i = b; i >= a; i--) {
                        acc.append(single[sequence[pr][i - 1]], accTime, accCost);
                    }
                }
            }
        }
        acc.append(single[p.endDepot(r)], accTime, accCost);
        return penalties.routeCost(p, acc, r);
    }

    private void appendRange(int r, int from, int to) {
        for (int i = from; i <= to; i++) {
            acc.append(single[sequence[r][i - 1]], accTime, accCost);
        }
    }

    /** Writes the plan's visits into {@code out}; returns how many. */
    private int write(Plan plan, int[] out) {
        int n = 0;
        for (int k = 0; k < plan.size; k++) {
            int pr = plan.route[k];
            int a = plan.from[k];
            int b = plan.to[k];
            switch (plan.kind[k]) {
                case PREFIX -> {
                    for (int i = 1; i <= a; i++) {
                        out[n++] = sequence[pr][i - 1];
                    }
                }
                case NODE -> out[n++] = a;
                case SUFFIX -> {
                    for (int i = a; i <= length[pr]; i++) {
                        out[n++] = sequence[pr][i - 1];
                    }
                }
                case RANGE -> {
                    for (int i = a; i <= b; i++) {
                        out[n++] = sequence[pr][i - 1];
                    }
                }
                default -> {
                    for (int i = b; i >= a; i--) {
                        out[n++] = sequence[pr][i - 1];
                    }
                }
            }
        }
        return n;
    }

    private void apply(int rA, Plan a, int rB, Plan b) {
        moves++;
        int na = write(a, scratchA);
        int nb = rB >= 0 ? write(b, scratchB) : 0;
        install(rA, scratchA, na);
        if (rB >= 0) {
            install(rB, scratchB, nb);
        }
    }

    /** Prices a change of two routes and makes it when it lowers the penalised cost. */
    private boolean tryTwo(int rA, Plan a, int rB, Plan b) {
        if (price(rA, a) - routeCost[rA] + price(rB, b) - routeCost[rB] >= -EPSILON) {
            return false;
        }
        apply(rA, a, rB, b);
        return true;
    }

    /** Same for a change inside one route; refuses to put a delivery before its pickup. */
    private boolean tryOne(int r, Plan plan) {
        if (routeHasPairs[r]) {
            int n = write(plan, scratchA);
            if (!precedenceHolds(scratchA, n)) {
                return false;
            }
        }
        if (price(r, plan) - routeCost[r] >= -EPSILON) {
            return false;
        }
        apply(r, plan, -1, null);
        return true;
    }

    private boolean precedenceHolds(int[] visits, int n) {
        for (int i = 0; i < n; i++) {
            int partner = p.pairOf[visits[i]];
            if (partner >= 0 && !p.isPickup[visits[i]]) {
                boolean seen = false;
                for (int k = 0; k < i && !seen; k++) {
                    seen = visits[k] == partner;
                }
                if (!seen) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- moves

    private boolean movable(int visit, int toRoute) {
        return visit < p.visits && p.pairOf[visit] < 0 && p.mayServe(visit, toRoute);
    }

    /** All moves of U against its neighbour V (and the start depot of V's route when V is first there). */
    private boolean tryPairOfVisits(int u, int v) {
        int ru = routeOf[u];
        int rv = routeOf[v];
        if (ru == rv) {
            return intraRoute(u, v);
        }
        if (p.pairOf[u] >= 0) {
            if (p.isPickup[u] && (relocatePair(u, v) || (prev[v] == p.startDepot(rv) && relocatePair(u, prev[v])))) {
                return true;
            }
            return twoOptStar(u, v);
        }
        if (interRoute(u, v)) {
            return true;
        }
        int before = prev[v];
        return before == p.startDepot(rv) && interRoute(u, before);
    }

    /** U and V in different routes; V may be a start depot. */
    private boolean interRoute(int u, int v) {
        int ru = routeOf[u];
        int rv = routeOf[v];
        int pu = position[u];
        int pv = position[v];
        int x = next[u];
        int y = next[v];
        int before = prev[u];
        boolean vIsVisit = v < p.visits;
        boolean xIsVisit = x < p.visits;
        boolean yIsVisit = y < p.visits;
        if (!movable(u, rv)) {
            return twoOptStar(u, v);
        }
        // relocate U after V
        double dc = arc(ru, before, x) - arc(ru, before, u) - arc(ru, u, x)
                + arc(rv, v, u) + arc(rv, u, y) - arc(rv, v, y);
        if (dc - penaltyPart(ru) - penaltyPart(rv) < -EPSILON
                && tryTwo(ru, planA.reset().add(PREFIX, ru, pu - 1, 0).add(SUFFIX, ru, pu + 1, 0),
                rv, planB.reset().add(PREFIX, rv, pv, 0).add(NODE, 0, u, 0).add(SUFFIX, rv, pv + 1, 0))) {
            return true;
        }
        if (xIsVisit && movable(x, rv)) {
            int nx = next[x];
            // relocate (U, X) after V, then (X, U)
            long removed = arc(ru, before, nx) - arc(ru, before, u) - arc(ru, x, nx);
            dc = removed - arc(ru, u, x) + arc(rv, v, u) + arc(rv, u, x) + arc(rv, x, y) - arc(rv, v, y);
            if (dc - penaltyPart(ru) - penaltyPart(rv) < -EPSILON
                    && tryTwo(ru, planA.reset().add(PREFIX, ru, pu - 1, 0).add(SUFFIX, ru, pu + 2, 0),
                    rv, planB.reset().add(PREFIX, rv, pv, 0).add(NODE, 0, u, 0).add(NODE, 0, x, 0)
                            .add(SUFFIX, rv, pv + 1, 0))) {
                return true;
            }
            dc = removed - arc(ru, u, x) + arc(rv, v, x) + arc(rv, x, u) + arc(rv, u, y) - arc(rv, v, y);
            if (dc - penaltyPart(ru) - penaltyPart(rv) < -EPSILON
                    && tryTwo(ru, planA.reset().add(PREFIX, ru, pu - 1, 0).add(SUFFIX, ru, pu + 2, 0),
                    rv, planB.reset().add(PREFIX, rv, pv, 0).add(NODE, 0, x, 0).add(NODE, 0, u, 0)
                            .add(SUFFIX, rv, pv + 1, 0))) {
                return true;
            }
        }
        if (vIsVisit && movable(v, ru)) {
            int bv = prev[v];
            // swap U and V
            dc = arc(ru, before, v) + arc(ru, v, x) - arc(ru, before, u) - arc(ru, u, x)
                    + arc(rv, bv, u) + arc(rv, u, y) - arc(rv, bv, v) - arc(rv, v, y);
            if (dc - penaltyPart(ru) - penaltyPart(rv) < -EPSILON
                    && tryTwo(ru, planA.reset().add(PREFIX, ru, pu - 1, 0).add(NODE, 0, v, 0).add(SUFFIX, ru, pu + 1, 0),
                    rv, planB.reset().add(PREFIX, rv, pv - 1, 0).add(NODE, 0, u, 0).add(SUFFIX, rv, pv + 1, 0))) {
                return true;
            }
            if (xIsVisit && movable(x, rv)) {
                int nx = next[x];
                // swap (U, X) and V
                dc = arc(ru, before, v) + arc(ru, v, nx) - arc(ru, before, u) - arc(ru, u, x) - arc(ru, x, nx)
                        + arc(rv, bv, u) + arc(rv, u, x) + arc(rv, x, y) - arc(rv, bv, v) - arc(rv, v, y);
                if (dc - penaltyPart(ru) - penaltyPart(rv) < -EPSILON
                        && tryTwo(ru, planA.reset().add(PREFIX, ru, pu - 1, 0).add(NODE, 0, v, 0)
                                .add(SUFFIX, ru, pu + 2, 0),
                        rv, planB.reset().add(PREFIX, rv, pv - 1, 0).add(NODE, 0, u, 0).add(NODE, 0, x, 0)
                                .add(SUFFIX, rv, pv + 1, 0))) {
                    return true;
                }
                if (yIsVisit && movable(y, ru)) {
                    int ny = next[y];
                    // swap (U, X) and (V, Y)
                    dc = arc(ru, before, v) + arc(ru, v, y) + arc(ru, y, nx)
                            - arc(ru, before, u) - arc(ru, u, x) - arc(ru, x, nx)
                            + arc(rv, bv, u) + arc(rv, u, x) + arc(rv, x, ny)
                            - arc(rv, bv, v) - arc(rv, v, y) - arc(rv, y, ny);
                    if (dc - penaltyPart(ru) - penaltyPart(rv) < -EPSILON
                            && tryTwo(ru, planA.reset().add(PREFIX, ru, pu - 1, 0).add(NODE, 0, v, 0)
                                    .add(NODE, 0, y, 0).add(SUFFIX, ru, pu + 2, 0),
                            rv, planB.reset().add(PREFIX, rv, pv - 1, 0).add(NODE, 0, u, 0).add(NODE, 0, x, 0)
                                    .add(SUFFIX, rv, pv + 2, 0))) {
                        return true;
                    }
                }
            }
        }
        return twoOptStar(u, v);
    }

    /** Exchange the tails after U and after V (V may be a start depot): route of U continues with V's tail. */
    private boolean twoOptStar(int u, int v) {
        int ru = routeOf[u];
        int rv = routeOf[v];
        if (!cleanCutAfter[u] || !cleanCutAfter[v] || !tailAllowed(u, rv) || !tailAllowed(v, ru)) {
            return false;
        }
        int x = next[u];
        int y = next[v];
        int eu = p.endDepot(ru);
        int ev = p.endDepot(rv);
        // Arcs into the end depots are priced as arcs into the other route's end.
        double dc = arc(ru, u, y == ev ? eu : y) + arc(rv, v, x == eu ? ev : x) - arc(ru, u, x) - arc(rv, v, y);
        if (dc - penaltyPart(ru) - penaltyPart(rv) >= -EPSILON) {
            return false;
        }
        return tryTwo(ru, planA.reset().add(PREFIX, ru, position[u], 0).add(SUFFIX, rv, position[v] + 1, 0),
                rv, planB.reset().add(PREFIX, rv, position[v], 0).add(SUFFIX, ru, position[u] + 1, 0));
    }

    private boolean tailAllowed(int after, int toRoute) {
        if (!anyRestriction) {
            return true;
        }
        for (int n = next[after]; n < p.visits; n = next[n]) {
            if (!p.mayServe(n, toRoute)) {
                return false;
            }
        }
        return true;
    }

    /** Moves a pickup U and its delivery to the route of V: the pickup right after V, the delivery where best. */
    private boolean relocatePair(int u, int v) {
        int ru = routeOf[u];
        int rv = routeOf[v];
        if (!p.mayServe(u, rv)) {
            return false;
        }
        int d = p.pairOf[u];
        int pu = position[u];
        int pd = position[d];
        planA.reset().add(PREFIX, ru, pu - 1, 0).add(RANGE, ru, pu + 1, pd - 1).add(SUFFIX, ru, pd + 1, 0);
        double removal = price(ru, planA) - routeCost[ru];
        int pv = position[v];
        double delta = removal + insertionCost(u, rv, pv);
        if (delta >= -EPSILON) {
            return false;
        }
        planB.reset().add(PREFIX, rv, pv, 0).add(NODE, 0, u, 0).add(RANGE, rv, pv + 1, lastDeliveryAfter)
                .add(NODE, 0, d, 0).add(SUFFIX, rv, lastDeliveryAfter + 1, 0);
        apply(ru, planA, rv, planB);
        return true;
    }

    /** U and V in one route: relocate U (or U and its successor) after V, swap U and V, 2-opt between them. */
    private boolean intraRoute(int u, int v) {
        int r = routeOf[u];
        int pu = position[u];
        int pv = position[v];
        int x = next[u];
        int y = next[v];
        int before = prev[u];
        // Without pairs the load on board and the stop count do not depend on the order, so only time warp can
        // offset a dearer order; pricing exactly the moves no penalty could pay for was most of the time on CVRP.
        double slack = routeHasPairs[r] ? penaltyPart(r) : routeWarpCost[r];
        if (v != before) {
            // relocate U after V
            double dc = arc(r, before, x) - arc(r, before, u) - arc(r, u, x) + arc(r, v, u) + arc(r, u, y) - arc(r, v, y);
            if (dc - slack < -EPSILON) {
                Plan plan = pu < pv
                        ? planA.reset().add(PREFIX, r, pu - 1, 0).add(RANGE, r, pu + 1, pv).add(NODE, 0, u, 0)
                                .add(SUFFIX, r, pv + 1, 0)
                        : planA.reset().add(PREFIX, r, pv, 0).add(NODE, 0, u, 0).add(RANGE, r, pv + 1, pu - 1)
                                .add(SUFFIX, r, pu + 1, 0);
                if (tryOne(r, plan)) {
                    return true;
                }
            }
        }
        if (x < p.visits && x != v && v != before) {
            int nx = next[x];
            // relocate (U, X) after V
            double dc = arc(r, before, nx) - arc(r, before, u) - arc(r, x, nx)
                    + arc(r, v, u) + arc(r, x, y) - arc(r, v, y);
            if (dc - slack < -EPSILON) {
                Plan plan = pu < pv
                        ? planA.reset().add(PREFIX, r, pu - 1, 0).add(RANGE, r, pu + 2, pv).add(NODE, 0, u, 0)
                                .add(NODE, 0, x, 0).add(SUFFIX, r, pv + 1, 0)
                        : planA.reset().add(PREFIX, r, pv, 0).add(NODE, 0, u, 0).add(NODE, 0, x, 0)
                                .add(RANGE, r, pv + 1, pu - 1).add(SUFFIX, r, pu + 2, 0);
                if (tryOne(r, plan)) {
                    return true;
                }
            }
        }
        int first = Math.min(pu, pv);
        int last = Math.max(pu, pv);
        int a = nodeAt(r, first);
        int b = nodeAt(r, last);
        int beforeA = prev[a];
        int afterB = next[b];
        // swap U and V
        double dc = last - first == 1
                ? arc(r, beforeA, b) + arc(r, b, a) + arc(r, a, afterB) - arc(r, beforeA, a) - arc(r, a, b) - arc(r, b, afterB)
                : arc(r, beforeA, b) + arc(r, b, next[a]) + arc(r, prev[b], a) + arc(r, a, afterB)
                        - arc(r, beforeA, a) - arc(r, a, next[a]) - arc(r, prev[b], b) - arc(r, b, afterB);
        if (dc - slack < -EPSILON && tryOne(r, planA.reset().add(PREFIX, r, first - 1, 0).add(NODE, 0, b, 0)
                .add(RANGE, r, first + 1, last - 1).add(NODE, 0, a, 0).add(SUFFIX, r, last + 1, 0))) {
            return true;
        }
        // 2-opt: reverse the stops from A to B
        dc = arc(r, beforeA, b) + arc(r, a, afterB) - arc(r, beforeA, a) - arc(r, b, afterB);
        for (int i = first; i < last; i++) {
            int from = nodeAt(r, i);
            dc += arc(r, next[from], from) - arc(r, from, next[from]);
        }
        return dc - slack < -EPSILON && tryOne(r, planA.reset().add(PREFIX, r, first - 1, 0)
                .add(REVERSED, r, first, last).add(SUFFIX, r, last + 1, 0));
    }

    /** U (with its partner) alone in an empty route, one vehicle of each kind tried. */
    private boolean tryEmptyRoutes(int u) {
        if (p.pairOf[u] >= 0 && !p.isPickup[u]) {
            return false;
        }
        int ru = routeOf[u];
        boolean[] triedClass = new boolean[p.vehicles];
        for (int r = 0; r < p.vehicles; r++) {
            if (length[r] != 0 || r == ru || triedClass[p.vehicleClass[r]] || !p.mayServe(u, r)) {
                continue;
            }
            triedClass[p.vehicleClass[r]] = true;
            if (p.pairOf[u] >= 0) {
                if (relocatePair(u, p.startDepot(r))) {
                    return true;
                }
            } else if (tryTwo(ru, planA.reset().add(PREFIX, ru, position[u] - 1, 0).add(SUFFIX, ru, position[u] + 1, 0),
                    r, planB.reset().add(NODE, 0, u, 0))) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- optional visits

    /** Leaves U (and its partner) out when its prize is smaller than what serving it costs. */
    private boolean tryRemove(int u) {
        if (p.pairOf[u] >= 0 && !p.isPickup[u]) {
            return false;
        }
        int r = routeOf[u];
        double prize = p.prizeWithPartner(u);
        if (prize >= routeCost[r]) {
            return false; // removing it cannot save more than the whole route costs
        }
        int pu = position[u];
        if (p.pairOf[u] >= 0) {
            int pd = position[p.pairOf[u]];
            planA.reset().add(PREFIX, r, pu - 1, 0).add(RANGE, r, pu + 1, pd - 1).add(SUFFIX, r, pd + 1, 0);
        } else {
            planA.reset().add(PREFIX, r, pu - 1, 0).add(SUFFIX, r, pu + 1, 0);
        }
        if (price(r, planA) + prize >= routeCost[r] - EPSILON) {
            return false;
        }
        apply(r, planA, -1, null);
        routeOf[u] = -1;
        if (p.pairOf[u] >= 0) {
            routeOf[p.pairOf[u]] = -1;
        }
        return true;
    }

    /** Puts a left-out U back at its cheapest place next to a neighbour, when that costs less than its prize. */
    private boolean tryInsert(int u) {
        if (p.pairOf[u] >= 0 && !p.isPickup[u]) {
            return false;
        }
        double prize = p.prizeWithPartner(u);
        double best = prize - EPSILON;
        int bestRoute = -1;
        int bestAfter = -1;
        int bestDeliveryAfter = -1;
        boolean[] triedEmptyClass = new boolean[p.vehicles];
        for (int k = -1; k < shuffledNeighbours[u].length; k++) {
            // k = -1: the empty routes, one per kind of vehicle
            if (k < 0) {
                for (int r = 0; r < p.vehicles; r++) {
                    if (length[r] == 0 && !triedEmptyClass[p.vehicleClass[r]] && p.mayServe(u, r)) {
                        triedEmptyClass[p.vehicleClass[r]] = true;
                        double delta = insertionCost(u, r, 0);
                        if (delta < best) {
                            best = delta;
                            bestRoute = r;
                            bestAfter = 0;
                            bestDeliveryAfter = lastDeliveryAfter;
                        }
                    }
                }
                continue;
            }
            int v = shuffledNeighbours[u][k];
            int r = routeOf[v];
            if (r < 0 || !p.mayServe(u, r)) {
                continue;
            }
            for (int after : new int[] {position[v], position[v] - 1}) {
                if (after < 0) {
                    continue;
                }
                double delta = insertionCost(u, r, after);
                if (delta < best) {
                    best = delta;
                    bestRoute = r;
                    bestAfter = after;
                    bestDeliveryAfter = lastDeliveryAfter;
                }
            }
        }
        if (bestRoute < 0) {
            return false;
        }
        if (p.pairOf[u] >= 0) {
            planA.reset().add(PREFIX, bestRoute, bestAfter, 0).add(NODE, 0, u, 0)
                    .add(RANGE, bestRoute, bestAfter + 1, bestDeliveryAfter).add(NODE, 0, p.pairOf[u], 0)
                    .add(SUFFIX, bestRoute, bestDeliveryAfter + 1, 0);
        } else {
            planA.reset().add(PREFIX, bestRoute, bestAfter, 0).add(NODE, 0, u, 0).add(SUFFIX, bestRoute, bestAfter + 1, 0);
        }
        apply(bestRoute, planA, -1, null);
        return true;
    }

    private int lastDeliveryAfter;

    /** Cost of inserting U after position {@code after} of route r; a pair's delivery at its best later place. */
    private double insertionCost(int u, int r, int after) {
        if (p.pairOf[u] < 0) {
            lastDeliveryAfter = -1;
            return price(r, planB.reset().add(PREFIX, r, after, 0).add(NODE, 0, u, 0).add(SUFFIX, r, after + 1, 0))
                    - routeCost[r];
        }
        int d = p.pairOf[u];
        double best = Double.POSITIVE_INFINITY;
        for (int w = after; w <= length[r]; w++) {
            double delta = price(r, planB.reset().add(PREFIX, r, after, 0).add(NODE, 0, u, 0)
                    .add(RANGE, r, after + 1, w).add(NODE, 0, d, 0).add(SUFFIX, r, w + 1, 0)) - routeCost[r];
            if (delta < best) {
                best = delta;
                lastDeliveryAfter = w;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- SWAP*

    /**
     * SWAP* (Vidal 2022) between every two routes with neighbouring visits: U and V change routes, each put at its
     * best place in the other route rather than in the other's place. Candidates are ranked by travel cost and
     * load penalty from each visit's three cheapest insertions; the best is then priced exactly, windows included.
     * True when a move was made.
     */
    private boolean swapStarPass() {
        boolean improved = false;
        boolean[] near = new boolean[p.vehicles];
        for (int r1 = 0; r1 < p.vehicles; r1++) {
            if (length[r1] == 0) {
                continue;
            }
            Arrays.fill(near, false);
            for (int i = 0; i < length[r1]; i++) {
                for (int v : p.neighbours[sequence[r1][i]]) {
                    if (routeOf[v] > r1) {
                        near[routeOf[v]] = true;
                    }
                }
            }
            for (int r2 = r1 + 1; r2 < p.vehicles; r2++) {
                if (near[r2] && length[r1] > 0 && length[r2] > 0 && swapStar(r1, r2)) {
                    improved = true;
                }
            }
        }
        return improved;
    }

    private double[][] insertionCosts = new double[0][];
    private int[][] insertionAfter = new int[0][];

    private boolean swapStar(int r1, int r2) {
        if (insertionCosts.length != p.visits) {
            insertionCosts = new double[p.visits][3];
            insertionAfter = new int[p.visits][3];
        }
        cheapestInsertions(r1, r2);
        cheapestInsertions(r2, r1);
        double bestEstimate = -EPSILON;
        int bestU = -1;
        int bestV = -1;
        int bestAfterU = -1;
        int bestAfterV = -1;
        long load1 = routeLoad(r1);
        long load2 = routeLoad(r2);
        double penalty1 = penaltyPart(r1);
        double penalty2 = penaltyPart(r2);
        for (int i = 0; i < length[r1]; i++) {
            int u = sequence[r1][i];
            if (!movable(u, r2)) {
                continue;
            }
            long removeU = arc(r1, prev[u], next[u]) - arc(r1, prev[u], u) - arc(r1, u, next[u]);
            for (int k = 0; k < length[r2]; k++) {
                int v = sequence[r2][k];
                if (!movable(v, r1)) {
                    continue;
                }
                long removeV = arc(r2, prev[v], next[v]) - arc(r2, prev[v], v) - arc(r2, v, next[v]);
                // Only visits without a partner swap, and those carry their goods from the start.
                long demandU = p.startLoad[u];
                long demandV = p.startLoad[v];
                double loadDelta = penalties.load * (Math.max(0, load1 - demandU + demandV - p.capacity[r1])
                        + Math.max(0, load2 - demandV + demandU - p.capacity[r2]));
                double estimate = removeU + removeV + loadDelta - penalty1 - penalty2;
                if (estimate >= bestEstimate) {
                    continue; // the insertions cost at least nothing under the triangle inequality: skip early
                }
                int afterU = insertionPlace(u, v, r2);
                int afterV = insertionPlace(v, u, r1);
                estimate += lastInsertionCost(u, v, r2, afterU) + lastInsertionCost(v, u, r1, afterV);
                if (estimate < bestEstimate) {
                    bestEstimate = estimate;
                    bestU = u;
                    bestV = v;
                    bestAfterU = afterU;
                    bestAfterV = afterV;
                }
            }
        }
        if (bestU < 0) {
            return false;
        }
        return tryTwo(r1, withSwapped(planA, r1, bestU, bestV, bestAfterV),
                r2, withSwapped(planB, r2, bestV, bestU, bestAfterU));
    }

    private long routeLoad(int r) {
        RouteSegment whole = prefix[nodeAt(r, length[r])];
        return whole.startLoad + whole.peakLoad;
    }

    /** The three cheapest places (by travel cost) to insert each visit of route {@code from} into route {@code to}. */
    private void cheapestInsertions(int from, int to) {
        for (int i = 0; i < length[from]; i++) {
            int u = sequence[from][i];
            double[] costs = insertionCosts[u];
            int[] after = insertionAfter[u];
            Arrays.fill(costs, Double.POSITIVE_INFINITY);
            Arrays.fill(after, -1);
            for (int pos = 0; pos <= length[to]; pos++) {
                int a = nodeAt(to, pos);
                int b = next[a];
                double cost = arc(to, a, u) + arc(to, u, b) - arc(to, a, b);
                for (int k = 0; k < 3; k++) {
                    if (cost < costs[k]) {
                        for (int m = 2; m > k; m--) {
                            costs[m] = costs[m - 1];
                            after[m] = after[m - 1];
                        }
                        costs[k] = cost;
                        after[k] = a;
                        break;
                    }
                }
            }
        }
    }

    /** Where U goes in route r once V has left it: one of U's three best places not next to V, or V's place. */
    private int insertionPlace(int u, int v, int r) {
        for (int k = 0; k < 3; k++) {
            int a = insertionAfter[u][k];
            if (a >= 0 && a != v && next[a] != v) {
                double inPlace = arc(r, prev[v], u) + arc(r, u, next[v]) - arc(r, prev[v], next[v]);
                return insertionCosts[u][k] <= inPlace ? a : prev[v];
            }
        }
        return prev[v];
    }

    private double lastInsertionCost(int u, int v, int r, int after) {
        int b = next[after] == v ? next[v] : next[after];
        return arc(r, after, u) + arc(r, u, b) - arc(r, after, b);
    }

    /** Route r with {@code out} removed and {@code in} put after node {@code after} (never {@code out} itself). */
    private Plan withSwapped(Plan plan, int r, int out, int in, int after) {
        int po = position[out];
        int pa = position[after];
        plan.reset();
        if (pa < po) {
            return plan.add(PREFIX, r, pa, 0).add(NODE, 0, in, 0).add(RANGE, r, pa + 1, po - 1)
                    .add(SUFFIX, r, po + 1, 0);
        }
        return plan.add(PREFIX, r, po - 1, 0).add(RANGE, r, po + 1, pa).add(NODE, 0, in, 0).add(SUFFIX, r, pa + 1, 0);
    }
}
