package org.caregrid.routing.bench;

import org.caregrid.routing.optimize.DeliveryPlan;
import org.caregrid.routing.optimize.DeliveryProblem;
import org.caregrid.routing.optimize.DeliveryRequest;
import org.caregrid.routing.optimize.HgsRouteOptimizer;
import org.caregrid.routing.optimize.OrToolsRouteOptimizer;
import org.caregrid.routing.optimize.PlannedStop;
import org.caregrid.routing.optimize.RouteOptimizer;
import org.caregrid.routing.optimize.SolverLimits;
import org.caregrid.routing.optimize.TimeWindow;
import org.caregrid.routing.optimize.TravelCosts;
import org.caregrid.routing.optimize.Volunteer;
import org.caregrid.routing.optimize.VolunteerRoute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The route optimisers on every CVRPLIB {@code .vrp} (EUC_2D, nint) and Solomon {@code .txt} instance under a
 * folder that has a {@code .sol} beside it: cost, gap to the best-known cost and time per instance and solver, in
 * the same run, then the mean gaps (all, X, Solomon) per solver, with the machine's load beside them.
 *
 * <pre>java -cp ... org.caregrid.routing.bench.VrpBench [DIR] [--time-limit S] [--solver caregrid|ortools|both]
 *     [--threads N] [--seed N]</pre>
 * DIR defaults to ../shared/data/vrp; S (seconds per instance) to 10; the solver to both; threads (for caregrid's
 * hybrid genetic search) to 1, the seed to 1.
 */
public final class VrpBench {
    private static final String PROFILE = "euclid";
    // The Solomon best-known costs count each distance truncated to one decimal (and travel times alike): the solver
    // works in tenths, and the reported cost is the sum of those tenths, as the best-known cost is.
    private static final int SOLOMON_SCALE = 10;

    private VrpBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("../shared/data/vrp");
        long timeLimit = 10;
        String solver = "both";
        int threads = 1;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--time-limit" -> timeLimit = Long.parseLong(args[++i]);
                case "--solver" -> solver = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> dir = Path.of(args[i]);
            }
        }
        if (!Files.isDirectory(dir)) {
            System.err.println("no such folder: " + dir.toAbsolutePath());
            System.exit(2);
        }
        Map<String, RouteOptimizer> solvers = new LinkedHashMap<>();
        if (solver.equals("caregrid") || solver.equals("both")) {
            solvers.put("caregrid", new HgsRouteOptimizer());
        }
        if (solver.equals("ortools") || solver.equals("both")) {
            solvers.put("ortools", new OrToolsRouteOptimizer());
        }
        if (solvers.isEmpty()) {
            System.err.println("--solver must be caregrid, ortools or both");
            System.exit(2);
        }
        List<Path> instances;
        try (Stream<Path> walk = Files.walk(dir)) {
            instances = walk.filter(p -> p.toString().endsWith(".vrp") || p.toString().endsWith(".txt"))
                    .filter(p -> Files.isRegularFile(solutionOf(p))).sorted().toList();
        }
        SolverLimits limits = new SolverLimits(Duration.ofSeconds(timeLimit)).withThreads(threads).withSeed(seed);
        System.out.printf(Locale.ROOT, "time limit %d s per instance, caregrid threads %d, seed %d; load before: %s%n",
                timeLimit, threads, seed, loadAverage());
        System.out.printf(Locale.ROOT, "%-12s %-9s %5s %6s %11s %11s %8s %8s %8s  %s%n",
                "instance", "solver", "nodes", "routes", "cost", "best", "gap%", "time s", "unserved", "load 1/5/15 min");
        Map<String, Map<String, List<Double>>> gaps = new LinkedHashMap<>();
        for (Path file : instances) {
            double best = BestKnown.cost(solutionOf(file));
            String family = file.toString().endsWith(".txt") ? "Solomon"
                    : file.getFileName().toString().startsWith("X-") ? "X" : "other";
            for (Map.Entry<String, RouteOptimizer> entry : solvers.entrySet()) {
                Result result = file.toString().endsWith(".vrp") ? solveCvrp(file, entry.getValue(), limits)
                        : solveSolomon(file, entry.getValue(), limits);
                double gap = 100 * (result.cost - best) / best;
                System.out.printf(Locale.ROOT, "%-12s %-9s %5d %6d %11.1f %11.1f %8.2f %8.2f %8d  %s%n", result.name,
                        entry.getKey(), result.nodes, result.routes, result.cost, best, gap, result.seconds,
                        result.unserved, loadAverage());
                Map<String, List<Double>> bySolver = gaps.computeIfAbsent(entry.getKey(), k -> new LinkedHashMap<>());
                // An instance with unserved customers has no comparable cost: it counts as missing, not as a gap.
                if (result.unserved == 0) {
                    bySolver.computeIfAbsent("all", k -> new ArrayList<>()).add(gap);
                    bySolver.computeIfAbsent(family, k -> new ArrayList<>()).add(gap);
                }
            }
        }
        for (Map.Entry<String, Map<String, List<Double>>> entry : gaps.entrySet()) {
            Map<String, List<Double>> g = entry.getValue();
            System.out.printf(Locale.ROOT,
                    "SUMMARY solver=%s instances=%d time-limit=%ds mean-gap=%.2f%% X=%.2f%% Solomon=%.2f%% load=%s%n",
                    entry.getKey(), g.getOrDefault("all", List.of()).size(), timeLimit, mean(g.get("all")),
                    mean(g.get("X")), mean(g.get("Solomon")), loadAverage());
        }
    }

    private static double mean(List<Double> values) {
        return values == null || values.isEmpty() ? Double.NaN
                : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The first three fields of /proc/loadavg, or "n/a" where there is none. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private record Result(String name, int nodes, int routes, double cost, double seconds, int unserved) {
    }

    private static Path solutionOf(Path instance) {
        String name = instance.getFileName().toString().replaceFirst("\\.(vrp|txt)$", ".sol");
        return instance.resolveSibling(name);
    }

    static Result solveCvrp(Path file, RouteOptimizer optimizer, SolverLimits limits) throws IOException {
        CvrpInstance instance = CvrpInstance.read(file);
        List<DeliveryRequest> requests = new ArrayList<>();
        for (int c : instance.customers()) {
            requests.add(new DeliveryRequest("c" + c, c, instance.demand()[c], TimeWindow.ANY, 0, false,
                    Optional.empty()));
        }
        // The fleet is free: twice the minimum named in the instance, so the solver is not starved.
        int k = instance.minVehicles().orElse(instance.dimension() - 1);
        int fleet = Math.min(instance.dimension() - 1, 2 * k + 2);
        List<Volunteer> vehicles = new ArrayList<>();
        for (int v = 0; v < fleet; v++) {
            vehicles.add(new Volunteer("v" + v, instance.depot(), instance.depot(), instance.capacity(),
                    TimeWindow.ANY, PROFILE, 0));
        }
        DeliveryProblem problem = new DeliveryProblem(requests, List.of(), vehicles,
                Map.of(PROFILE, TravelCosts.ofSeconds(instance.distanceMatrix())));
        long start = System.nanoTime();
        DeliveryPlan plan = optimizer.planDeliveries(problem, limits);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(instance.name(), instance.dimension(), plan.routes().size(), plan.totalCost(), seconds,
                plan.unserved().size());
    }

    static Result solveSolomon(Path file, RouteOptimizer optimizer, SolverLimits limits) throws IOException {
        SolomonInstance instance = SolomonInstance.read(file);
        int n = instance.dimension();
        long[][] scaled = new long[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scaled[i][j] = instance.truncatedDistance(i, j, SOLOMON_SCALE);
            }
        }
        List<DeliveryRequest> requests = new ArrayList<>();
        for (int c = 1; c < n; c++) {
            requests.add(new DeliveryRequest("c" + c, c, instance.demand()[c],
                    new TimeWindow((long) instance.ready()[c] * SOLOMON_SCALE, (long) instance.due()[c] * SOLOMON_SCALE),
                    (long) instance.service()[c] * SOLOMON_SCALE, false, Optional.empty()));
        }
        TimeWindow shift = new TimeWindow((long) instance.ready()[0] * SOLOMON_SCALE,
                (long) instance.due()[0] * SOLOMON_SCALE);
        List<Volunteer> vehicles = new ArrayList<>();
        for (int v = 0; v < instance.vehicles(); v++) {
            vehicles.add(new Volunteer("v" + v, 0, 0, instance.capacity(), shift, PROFILE, 0));
        }
        DeliveryProblem problem = new DeliveryProblem(requests, List.of(), vehicles,
                Map.of(PROFILE, TravelCosts.ofSeconds(scaled)));
        long start = System.nanoTime();
        DeliveryPlan plan = optimizer.planDeliveries(problem, limits);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cost = 0;
        for (VolunteerRoute route : plan.routes()) {
            List<PlannedStop> stops = route.stops();
            for (int i = 1; i < stops.size(); i++) {
                cost += scaled[stops.get(i - 1).location()][stops.get(i).location()];
            }
        }
        return new Result(instance.name(), n, plan.routes().size(), cost / (double) SOLOMON_SCALE, seconds,
                plan.unserved().size());
    }
}
