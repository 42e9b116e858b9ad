package org.caregrid.routing.optimize;

import org.caregrid.routing.TravelMatrix;

/**
 * Travel between location indices for one travel profile: time in seconds (for windows and shifts) and the cost
 * the optimiser minimises (often the same seconds, or metres). A negative entry means "no route".
 */
public record TravelCosts(long[][] seconds, long[][] cost) {
    public static final long UNREACHABLE = -1;

    public TravelCosts {
        if (seconds.length != cost.length) {
            throw new IllegalArgumentException("seconds and cost matrices differ in size");
        }
        for (int i = 0; i < seconds.length; i++) {
            if (seconds[i].length != seconds.length || cost[i].length != seconds.length) {
                throw new IllegalArgumentException("travel matrices must be square, row " + i + " is not");
            }
        }
    }

    /** Time is also the cost. */
    public static TravelCosts ofSeconds(long[][] seconds) {
        return new TravelCosts(seconds, seconds);
    }

    /** From a square network matrix (places as both sources and targets): seconds rounded up, cost = seconds. */
    public static TravelCosts fromMatrix(TravelMatrix matrix) {
        int n = matrix.sourceIds().size();
        if (matrix.targetIds().size() != n) {
            throw new IllegalArgumentException("the matrix must be square (same places as sources and targets)");
        }
        long[][] seconds = new long[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                seconds[i][j] = matrix.reachable(i, j) ? (matrix.timeMillis()[i][j] + 999) / 1000 : UNREACHABLE;
            }
        }
        return ofSeconds(seconds);
    }

    public int size() {
        return seconds.length;
    }

    public boolean reachable(int from, int to) {
        return seconds[from][to] >= 0 && cost[from][to] >= 0;
    }
}
