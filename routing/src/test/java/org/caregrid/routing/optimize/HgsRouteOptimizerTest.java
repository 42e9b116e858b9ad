package org.caregrid.routing.optimize;

import org.caregrid.routing.SharedData;
import org.caregrid.routing.bench.CvrpInstance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hybrid genetic search on its own: optimality on a small CVRPLIB instance, every constraint on random
 * instances (checked by {@link PlanChecker}, not by the solver), determinism and cancellation. Runs are bounded
 * by iterations, never by the clock: the time limits here are only a safety net.
 */
class HgsRouteOptimizerTest {
    private static final Duration SAFETY_NET = Duration.ofMinutes(10);

    final RouteOptimizer hgs = new HgsRouteOptimizer();

    static DeliveryProblem cvrp(CvrpInstance instance, int fleet) {
        List<DeliveryRequest> requests = new ArrayList<>();
        for (int c : instance.customers()) {
            requests.add(new DeliveryRequest("c" + c, c, instance.demand()[c], TimeWindow.ANY, 0, false,
                    Optional.empty()));
        }
        List<Volunteer> vehicles = new ArrayList<>();
        for (int v = 0; v < fleet; v++) {
            vehicles.add(new Volunteer("v" + v, instance.depot(), instance.depot(), instance.capacity(),
                    TimeWindow.ANY, "euclid", 0));
        }
        return new DeliveryProblem(requests, List.of(), vehicles,
                Map.of("euclid", TravelCosts.ofSeconds(instance.distanceMatrix())));
    }

    @Test
    void findsTheKnownOptimumOfPn16k8() throws IOException {
        CvrpInstance instance = CvrpInstance.read(SharedData.file("vrp/cvrp/P-n16-k8.vrp"));
        DeliveryProblem problem = cvrp(instance, 15);
        DeliveryPlan plan = hgs.planDeliveries(problem, new SolverLimits(SAFETY_NET).withMaxIterations(3000));

        assertThat(PlanChecker.violations(problem, plan)).isEmpty();
        assertThat(plan.unserved()).isEmpty();
        assertThat(plan.totalCost()).isEqualTo(450);
    }

    @Test
    void everyReturnedPlanKeepsEveryConstraintOnRandomInstances() {
        for (long seed = 1; seed <= 12; seed++) {
            DeliveryProblem problem = RandomProblems.generate(seed);
            DeliveryPlan plan = hgs.planDeliveries(problem,
                    new SolverLimits(SAFETY_NET).withSeed(seed).withMaxIterations(300));
            assertThat(PlanChecker.violations(problem, plan)).as("hgs, instance " + seed).isEmpty();
            assertThat(plan.routes()).as("instance " + seed + " has work someone can do").isNotEmpty();
        }
    }

    @Test
    void orToolsKeepsEveryConstraintOnTheSameRandomInstances() {
        RouteOptimizer orTools = new OrToolsRouteOptimizer();
        for (long seed = 1; seed <= 4; seed++) {
            DeliveryProblem problem = RandomProblems.generate(seed);
            DeliveryPlan plan = orTools.planDeliveries(problem, SolverLimits.seconds(1));
            assertThat(PlanChecker.violations(problem, plan)).as("or-tools, instance " + seed).isEmpty();
        }
    }

    @Test
    void theSameSeedGivesTheSamePlan() {
        DeliveryProblem problem = RandomProblems.generate(7);
        for (int threads : new int[] {1, 2}) {
            SolverLimits limits = new SolverLimits(SAFETY_NET).withSeed(42).withMaxIterations(200).withThreads(threads);
            DeliveryPlan first = hgs.planDeliveries(problem, limits);
            DeliveryPlan second = hgs.planDeliveries(problem, limits);
            assertThat(second).as(threads + " thread(s)").isEqualTo(first);
        }
    }

    @Test
    void cancellationReturnsTheBestPlanSoFar() throws IOException {
        CvrpInstance instance = CvrpInstance.read(SharedData.file("vrp/cvrp/A-n32-k5.vrp"));
        DeliveryProblem problem = cvrp(instance, 12);
        AtomicInteger polls = new AtomicInteger();
        // No time or iteration limit would end this search: only the cancellation does.
        SolverLimits limits = new SolverLimits(Duration.ofDays(1)).withCancellation(() -> polls.incrementAndGet() > 300);
        DeliveryPlan plan = hgs.planDeliveries(problem, limits);

        assertThat(polls.get()).isGreaterThan(300);
        assertThat(plan.unserved()).isEmpty();
        assertThat(PlanChecker.violations(problem, plan)).isEmpty();
        assertThat(plan.totalCost()).isGreaterThanOrEqualTo(784);
    }

    @Test
    void aPinnedRequestGoesToItsVolunteerEvenWhenAnotherIsCloser() {
        TravelCosts line = RouteOptimizerTest.line();
        List<Volunteer> volunteers = List.of(new Volunteer("near", 1, 1, 5, RouteOptimizerTest.DAY, "foot", 0),
                new Volunteer("far", 9, 9, 5, RouteOptimizerTest.DAY, "foot", 0));
        List<DeliveryRequest> requests = List.of(RouteOptimizerTest.request("a", 2, 1).pinnedTo("far"),
                RouteOptimizerTest.request("b", 3, 1));
        DeliveryProblem problem = new DeliveryProblem(requests, List.of(), volunteers, Map.of("foot", line));
        for (RouteOptimizer optimizer : List.of(hgs, new OrToolsRouteOptimizer())) {
            DeliveryPlan plan = optimizer.planDeliveries(problem,
                    SolverLimits.seconds(1).withMaxIterations(100));
            assertThat(PlanChecker.violations(problem, plan)).isEmpty();
            assertThat(plan.routes()).filteredOn(r -> r.volunteerId().equals("far")).singleElement()
                    .satisfies(r -> assertThat(r.stops()).extracting(PlannedStop::requestId).contains("a"));
            assertThat(plan.routes()).filteredOn(r -> r.volunteerId().equals("near"))
                    .allSatisfy(r -> assertThat(r.stops()).extracting(PlannedStop::requestId).doesNotContain("a"));
        }
    }

    /** Small random dispatches with every kind of constraint at once. */
    static final class RandomProblems {
        private RandomProblems() {
        }

        static DeliveryProblem generate(long seed) {
            Random random = new Random(seed);
            int places = 16;
            double[] x = new double[places];
            double[] y = new double[places];
            for (int i = 0; i < places; i++) {
                x[i] = random.nextDouble() * 3000;
                y[i] = random.nextDouble() * 3000;
            }
            // metres per second: foot, bike, car (the car's roads a little longer)
            Map<String, TravelCosts> profiles = Map.of("foot", matrix(x, y, 1.3, 1.0, random, true),
                    "bike", matrix(x, y, 4.0, 1.1, random, false), "car", matrix(x, y, 8.0, 1.4, random, false));
            List<String> names = List.of("foot", "bike", "car");
            boolean withPharmacies = seed % 3 != 0;
            List<Pharmacy> pharmacies = new ArrayList<>();
            if (withPharmacies) {
                pharmacies.add(new Pharmacy("ph-a", 3, new TimeWindow(8 * 3600, 18 * 3600), 120));
                pharmacies.add(new Pharmacy("ph-b", 4, new TimeWindow(9 * 3600, 12 * 3600), 60));
            }
            List<Volunteer> volunteers = new ArrayList<>();
            for (int v = 0; v < 3; v++) {
                long start = (8 + random.nextInt(3)) * 3600L;
                long end = start + (2 + random.nextInt(5)) * 3600L;
                volunteers.add(new Volunteer("vol" + v, v, random.nextBoolean() ? v : (v + 1) % 3, 2 + random.nextInt(5),
                        new TimeWindow(start, end), names.get(random.nextInt(3)), random.nextInt(4)));
            }
            List<DeliveryRequest> requests = new ArrayList<>();
            for (int r = 0; r < 11; r++) {
                int location = 5 + r;
                long open = (8 + random.nextInt(6)) * 3600L;
                TimeWindow window = random.nextInt(3) == 0 ? new TimeWindow(8 * 3600, 20 * 3600)
                        : new TimeWindow(open, open + (1 + random.nextInt(3)) * 1800L);
                Optional<String> pharmacy = withPharmacies && random.nextBoolean()
                        ? Optional.of(random.nextBoolean() ? "ph-a" : "ph-b") : Optional.empty();
                DeliveryRequest request = new DeliveryRequest("r" + r, location, 1 + random.nextInt(3), window,
                        60 + random.nextInt(300), random.nextInt(4) == 0, pharmacy);
                if (random.nextInt(5) == 0) {
                    request = request.pinnedTo("vol" + random.nextInt(3));
                }
                requests.add(request);
            }
            return new DeliveryProblem(requests, pharmacies, volunteers, profiles);
        }

        private static TravelCosts matrix(double[] x, double[] y, double speed, double detour, Random random,
                                          boolean gaps) {
            int n = x.length;
            long[][] seconds = new long[n][n];
            long[][] cost = new long[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double metres = Math.hypot(x[i] - x[j], y[i] - y[j]) * detour;
                    seconds[i][j] = Math.round(metres / speed);
                    cost[i][j] = Math.round(metres);
                    if (gaps && i != j && random.nextInt(25) == 0) {
                        seconds[i][j] = TravelCosts.UNREACHABLE; // a one-way street or a footpath missing
                        cost[i][j] = TravelCosts.UNREACHABLE;
                    }
                }
            }
            return new TravelCosts(seconds, cost);
        }
    }
}
