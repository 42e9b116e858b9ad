package org.caregrid.routing.optimize;

/**
 * Prices of infeasibility per unit: excess load (and excess stops, counted like load) and time warp. The
 * search adapts them so that a target share of the solutions its local search returns is feasible.
 */
final class HgsPenalties {
    private static final double MIN = 0.01;
    private static final double MAX = 100_000;

    double load;
    double warp;

    HgsPenalties(double load, double warp) {
        this.load = load;
        this.warp = warp;
    }

    HgsPenalties times(double factor) {
        return new HgsPenalties(Math.min(MAX, load * factor), Math.min(MAX, warp * factor));
    }

    /** Cost of a complete route (start depot to end depot) of the given vehicle. */
    double routeCost(HgsProblem p, RouteSegment route, int vehicle) {
        return route.cost + load * (route.loadExcess(p.capacity[vehicle]) + route.stopExcess(p.maxStops[vehicle]))
                + warp * route.timeWarp;
    }

    /** Raises a penalty whose constraint was met too rarely, lowers it when met too often. */
    static double adapted(double penalty, double feasibleShare, double target) {
        if (feasibleShare < target - 0.05) {
            return Math.min(MAX, penalty * 1.25);
        }
        if (feasibleShare > target + 0.05) {
            return Math.max(MIN, penalty * 0.85);
        }
        return penalty;
    }
}
