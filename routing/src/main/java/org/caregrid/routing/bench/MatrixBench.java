package org.caregrid.routing.bench;

import org.caregrid.routing.Bounds;
import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.SnapReport;
import org.caregrid.routing.TravelMatrix;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.TravelSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The bucket many-to-many matrix against n² one-to-one CH route calls, on the same random places, in one run.
 *
 * <pre>java -cp ... org.caregrid.routing.bench.MatrixBench [OSMFILE] [--sizes 100,500] [--mode foot]
 *      [--cache DIR] [--pair-sample N]</pre>
 * OSMFILE defaults to ../shared/data/osm/north-bayreuth.osm.gz. With --pair-sample N the one-to-one side times
 * N random pairs and extrapolates to n² (default: all n² pairs).
 */
public final class MatrixBench {
    private MatrixBench() {
    }

    public static void main(String[] args) {
        Path osm = Path.of("../shared/data/osm/north-bayreuth.osm.gz");
        Path cache = Path.of("target/bench-graphs");
        int[] sizes = {100, 500};
        TravelMode mode = TravelMode.FOOT;
        long pairSample = Long.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--mode" -> mode = TravelMode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--cache" -> cache = Path.of(args[++i]);
                case "--pair-sample" -> pairSample = Long.parseLong(args[++i]);
                default -> osm = Path.of(args[i]);
            }
        }
        long t0 = System.nanoTime();
        try (RoadNetwork network = RoadNetwork.open(osm, cache, EnumSet.of(mode), 100)) {
            System.out.printf(Locale.ROOT, "graph %s ready in %.1f s%n", network.graphFolder().getFileName(),
                    (System.nanoTime() - t0) / 1e9);
            // Warm up the JIT on both sides so the first size is not penalised.
            List<Place> warm = randomPlaces(network, mode, 50, 1);
            network.matrix(mode, warm, warm);
            for (Place a : warm) {
                network.travel(mode, a, warm.get(0));
            }
            StringBuilder summary = new StringBuilder("SUMMARY mode=" + mode.profileName());
            for (int n : sizes) {
                List<Place> places = randomPlaces(network, mode, n, 42 + n);
                long start = System.nanoTime();
                TravelMatrix matrix = network.matrix(mode, places, places);
                double matrixSeconds = (System.nanoTime() - start) / 1e9;

                long pairs = (long) n * n;
                long timed = Math.min(pairs, pairSample);
                Random random = new Random(n);
                double maxDistanceDiff = 0;
                long maxTimeDiff = 0;
                int mismatchedReachability = 0;
                start = System.nanoTime();
                for (long k = 0; k < timed; k++) {
                    int i = timed == pairs ? (int) (k / n) : random.nextInt(n);
                    int j = timed == pairs ? (int) (k % n) : random.nextInt(n);
                    Optional<TravelSummary> one = network.travel(mode, places.get(i), places.get(j));
                    if (one.isPresent() != matrix.reachable(i, j)) {
                        mismatchedReachability++;
                    } else if (one.isPresent()) {
                        maxDistanceDiff = Math.max(maxDistanceDiff,
                                Math.abs(one.get().distanceMeters() - matrix.distanceMeters()[i][j]));
                        maxTimeDiff = Math.max(maxTimeDiff, Math.abs(one.get().timeMillis() - matrix.timeMillis()[i][j]));
                    }
                }
                double oneToOneSeconds = (System.nanoTime() - start) / 1e9 * pairs / timed;
                System.out.printf(Locale.ROOT,
                        "%dx%d: matrix %.3f s; %d one-to-one routes %.3f s%s; ratio %.1fx; "
                                + "max |dist diff| %.3f m, max |time diff| %d ms, reachability mismatches %d, unreachable cells %d%n",
                        n, n, matrixSeconds, pairs, oneToOneSeconds, timed == pairs ? "" : " (extrapolated from " + timed + ")",
                        oneToOneSeconds / matrixSeconds, maxDistanceDiff, maxTimeDiff, mismatchedReachability,
                        matrix.unreachableCount());
                summary.append(String.format(Locale.ROOT, " %dx%d matrix=%.3fs one-to-one=%.3fs ratio=%.1fx;",
                        n, n, matrixSeconds, oneToOneSeconds, oneToOneSeconds / matrixSeconds));
            }
            System.out.println(summary);
        }
    }

    /** Random points in the graph's bounds that snap within 50 m, so each is a plausible address. */
    static List<Place> randomPlaces(RoadNetwork network, TravelMode mode, int count, long seed) {
        Bounds b = network.bounds();
        Random random = new Random(seed);
        List<Place> places = new ArrayList<>();
        int attempt = 0;
        while (places.size() < count) {
            if (++attempt > count * 1000) {
                throw new IllegalStateException("cannot find " + count + " places near roads in " + b);
            }
            Place p = new Place("p" + places.size(), b.minLat() + random.nextDouble() * (b.maxLat() - b.minLat()),
                    b.minLon() + random.nextDouble() * (b.maxLon() - b.minLon()));
            SnapReport report = network.snap(mode, List.of(p));
            if (!report.snapped().isEmpty() && report.snapped().get(0).distanceMeters() < 50) {
                places.add(p);
            }
        }
        return places;
    }
}
