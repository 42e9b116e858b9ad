package org.caregrid.routing.optimize;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The split against every way of cutting the tour: vehicles 0, 1 and 3 are interchangeable (they share run costs)
 * and vehicle 2 is smaller, so the shared costs must be dropped and rebuilt between them.
 */
class HgsSplitTest {
    private static final int VISITS = 7;
    private static final int VEHICLES = 4;

    @Test
    void cutsEveryTourAsCheaplyAsTheBestOfAllCuts() {
        HgsProblem p = problem(new Random(3));
        HgsPenalties penalties = new HgsPenalties(3.0, 1.5);
        HgsSplit split = new HgsSplit(p);
        Random random = new Random(11);
        int[] classes = p.vehicleClass;
        assertThat(classes[0]).isEqualTo(classes[1]).isEqualTo(classes[3]).isNotEqualTo(classes[2]);
        long totalDemand = Arrays.stream(p.startLoad).sum();
        long largestDemand = Arrays.stream(p.startLoad).max().orElseThrow();
        assertThat(totalDemand).as("no run exceeds the split's load limit")
                .isLessThanOrEqualTo(2 * p.capacity[2] + largestDemand);
        for (int trial = 0; trial < 30; trial++) {
            int[] tour = shuffled(random);
            int[][] routes = split.split(tour, penalties);

            assertThat(Arrays.stream(routes).flatMapToInt(Arrays::stream).toArray()).as("tour kept in order")
                    .containsExactly(tour);
            assertThat(cost(p, routes, penalties)).as("tour " + Arrays.toString(tour))
                    .isCloseTo(bestOfAllCuts(p, tour, penalties), within(1e-6));
        }
    }

    /** Every choice of cut points 0 ≤ a ≤ b ≤ c ≤ n: vehicle 0 takes [0, a), 1 [a, b), 2 [b, c), 3 [c, n). */
    private static double bestOfAllCuts(HgsProblem p, int[] tour, HgsPenalties penalties) {
        int n = tour.length;
        double best = Double.POSITIVE_INFINITY;
        for (int a = 0; a <= n; a++) {
            for (int b = a; b <= n; b++) {
                for (int c = b; c <= n; c++) {
                    int[][] routes = {Arrays.copyOfRange(tour, 0, a), Arrays.copyOfRange(tour, a, b),
                            Arrays.copyOfRange(tour, b, c), Arrays.copyOfRange(tour, c, n)};
                    best = Math.min(best, cost(p, routes, penalties));
                }
            }
        }
        return best;
    }

    private static double cost(HgsProblem p, int[][] routes, HgsPenalties penalties) {
        double total = 0;
        for (int v = 0; v < routes.length; v++) {
            if (routes[v].length > 0) {
                total += penalties.routeCost(p, HgsRoutes.evaluate(p, v, routes[v]), v);
            }
        }
        return total;
    }

    private static int[] shuffled(Random random) {
        int[] tour = new int[VISITS];
        for (int i = 0; i < VISITS; i++) {
            tour[i] = i;
        }
        for (int i = VISITS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = tour[i];
            tour[i] = tour[j];
            tour[j] = t;
        }
        return tour;
    }

    /**
     * Seven visits with demands 1–3 and narrow windows, four vehicles at one depot. Capacities 8 and 6 make overloads
     * likely yet keep every run within the split's load limit (twice the capacity plus the largest demand), so no
     * cut is left out of the split's choice.
     */
    private static HgsProblem problem(Random random) {
        int nodes = VISITS + 2 * VEHICLES;
        double[] x = new double[nodes];
        double[] y = new double[nodes];
        long[] service = new long[nodes];
        long[] earliest = new long[nodes];
        long[] latest = new long[nodes];
        long[] startLoad = new long[nodes];
        for (int i = 0; i < VISITS; i++) {
            x[i] = random.nextInt(100);
            y[i] = random.nextInt(100);
            service[i] = 10;
            earliest[i] = random.nextInt(200);
            latest[i] = earliest[i] + 30 + random.nextInt(60);
            startLoad[i] = 1 + random.nextInt(3);
        }
        for (int node = VISITS; node < nodes; node++) {
            x[node] = 50;
            y[node] = 50;
            latest[node] = 400;
        }
        long[][] matrix = new long[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < nodes; j++) {
                matrix[i][j] = Math.round(Math.hypot(x[i] - x[j], y[i] - y[j]));
            }
        }
        int[] pairOf = new int[nodes];
        Arrays.fill(pairOf, -1);
        boolean[][] allowed = new boolean[VISITS][];
        return new HgsProblem(VISITS, service, earliest, latest, startLoad, new long[nodes], new int[nodes], pairOf,
                new boolean[nodes], new double[VISITS], allowed, new int[VEHICLES], new long[] {8, 8, 6, 8},
                new int[] {99, 99, 99, 99}, new long[][][] {matrix}, new long[][][] {matrix});
    }
}
