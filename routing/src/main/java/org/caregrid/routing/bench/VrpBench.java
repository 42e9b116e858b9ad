package org.caregrid.routing.bench;

import org.caregrid.routing.optimize.DeliveryPlan;
import org.caregrid.routing.optimize.DeliveryProblem;
import org.caregrid.routing.optimize.DeliveryRequest;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The route optimiser on every CVRPLIB {@code .vrp} (EUC_2D, nint) and Solomon {@code .txt} instance under a
 * folder that has a {@code .sol} beside it: cost, gap to the best-known cost, time, and the means.
 *
 * <pre>java -cp ... org.caregrid.routing.bench.VrpBench [DIR] [--time-limit S]</pre>
 * DIR defaults to ../shared/data/vrp; S (seconds per instance) to 10.
 */
public final class VrpBench {
    private static final String PROFILE = "euclid";
    // Solomon costs have decimals: the solver works on distances × 100, the reported cost is recomputed exactly.
    private static final int SOLOMON_SCALE = 100;

    private VrpBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("../shared/data/vrp");
        long timeLimit = 10;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--time-limit")) {
                timeLimit = Long.parseLong(args[++i]);
            } else {
                dir = Path.of(args[i]);
            }
        }
        if (!Files.isDirectory(dir)) {
            System.err.println("no such folder: " + dir.toAbsolutePath());
            System.exit(2);
        }
        List<Path> instances;
        try (Stream<Path> walk = Files.walk(dir)) {
            instances = walk.filter(p -> p.toString().endsWith(".vrp") || p.toString().endsWith(".txt"))
                    .filter(p -> Files.isRegularFile(solutionOf(p))).sorted().toList();
        }
        RouteOptimizer optimizer = new OrToolsRouteOptimizer();
        SolverLimits limits = new SolverLimits(Duration.ofSeconds(timeLimit));
        System.out.printf(Locale.ROOT, "%-12s %5s %8s %11s %11s %8s %8s %9s%n",
                "instance", "nodes", "routes", "cost", "best", "gap%", "time s", "unserved");
        double gapSum = 0;
        double timeSum = 0;
        int count = 0;
        for (Path file : instances) {
            Result result = file.toString().endsWith(".vrp") ? solveCvrp(file, optimizer, limits)
                    : solveSolomon(file, optimizer, limits);
            double best = BestKnown.cost(solutionOf(file));
            double gap = 100 * (result.cost - best) / best;
            System.out.printf(Locale.ROOT, "%-12s %5d %8d %11.1f %11.1f %8.2f %8.2f %9d%n", result.name, result.nodes,
                    result.routes, result.cost, best, gap, result.seconds, result.unserved);
            if (result.unserved == 0) {
                gapSum += gap;
            }
            timeSum += result.seconds;
            count++;
        }
        System.out.printf(Locale.ROOT, "SUMMARY instances=%d time-limit=%ds mean-gap=%.2f%% mean-time=%.2fs%n",
                count, timeLimit, count == 0 ? Double.NaN : gapSum / count, count == 0 ? Double.NaN : timeSum / count);
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
                // Truncated so that a schedule feasible in real numbers stays feasible here.
                scaled[i][j] = (long) Math.floor(instance.distance(i, j) * SOLOMON_SCALE);
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
        double cost = 0;
        for (VolunteerRoute route : plan.routes()) {
            List<PlannedStop> stops = route.stops();
            for (int i = 1; i < stops.size(); i++) {
                cost += instance.distance(stops.get(i - 1).location(), stops.get(i).location());
            }
        }
        return new Result(instance.name(), n, plan.routes().size(), cost, seconds, plan.unserved().size());
    }
}
