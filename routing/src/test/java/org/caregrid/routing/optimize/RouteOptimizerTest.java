package org.caregrid.routing.optimize;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small synthetic instances on a line: location i sits at x = POSITIONS[i] km, one minute per km,
 * so the right answers can be worked out by hand. Run against OR-Tools here and against the hybrid genetic
 * search by {@link HgsRouteOptimizerContractTest}.
 */
class RouteOptimizerTest {
    static final int[] POSITIONS = {0, 1, 2, 3, 4, 5, -1, -2, -3, 10};
    static final int DEPOT = 0;
    static final TimeWindow DAY = new TimeWindow(0, 8 * 3600);
    static final SolverLimits QUICK = SolverLimits.seconds(1);

    final RouteOptimizer optimizer = optimizer();

    RouteOptimizer optimizer() {
        return new OrToolsRouteOptimizer();
    }

    static TravelCosts line() {
        int n = POSITIONS.length;
        long[][] seconds = new long[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                seconds[i][j] = 60L * Math.abs(POSITIONS[i] - POSITIONS[j]);
            }
        }
        return TravelCosts.ofSeconds(seconds);
    }

    static DeliveryRequest request(String id, int location, int demand) {
        return new DeliveryRequest(id, location, demand, DAY, 60, false, Optional.empty());
    }

    static Volunteer volunteer(String id, int capacity) {
        return new Volunteer(id, DEPOT, DEPOT, capacity, DAY, "foot", 0);
    }

    static Pharmacy pharmacy(String id, int location) {
        return new Pharmacy(id, location, DAY, 30);
    }

    @Test
    void capacityIsNeverExceededAndPickupsComeBeforeTheirDeliveries() {
        List<DeliveryRequest> requests = List.of(request("r1", 1, 2), request("r2", 2, 2), request("r3", 3, 1),
                request("r4", 4, 2), request("r5", 6, 1), request("r6", 7, 2));
        DeliveryProblem problem = new DeliveryProblem(requests, List.of(pharmacy("ph", 5)),
                List.of(volunteer("v1", 3), volunteer("v2", 3)), Map.of("foot", line()));
        DeliveryPlan plan = optimizer.planDeliveries(problem, QUICK);

        assertThat(plan.unserved()).isEmpty();
        assertThat(plan.routes()).flatMap(VolunteerRoute::stops).filteredOn(s -> s.kind() == StopKind.DELIVERY)
                .extracting(PlannedStop::requestId).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5", "r6");
        for (VolunteerRoute route : plan.routes()) {
            assertThat(route.stops().get(0).kind()).isEqualTo(StopKind.START);
            assertThat(route.stops().get(route.stops().size() - 1).kind()).isEqualTo(StopKind.END);
            assertThat(route.stops()).allSatisfy(s -> assertThat(s.load()).isBetween(0L, 3L));
            long cost = 0;
            for (int i = 1; i < route.stops().size(); i++) {
                cost += line().cost()[route.stops().get(i - 1).location()][route.stops().get(i).location()];
            }
            assertThat(route.cost()).isEqualTo(cost);
            for (int i = 0; i < route.stops().size(); i++) {
                PlannedStop stop = route.stops().get(i);
                if (stop.kind() == StopKind.DELIVERY) {
                    List<PlannedStop> before = route.stops().subList(0, i);
                    assertThat(before).as("pickup of " + stop.requestId() + " earlier on the same route")
                            .anySatisfy(p -> {
                                assertThat(p.kind()).isEqualTo(StopKind.PICKUP);
                                assertThat(p.requestId()).isEqualTo(stop.requestId());
                                assertThat(p.pharmacyId()).isEqualTo("ph");
                            });
                }
            }
        }
    }

    @Test
    void timeWindowsAndShiftsAreRespected() {
        List<DeliveryRequest> requests = List.of(
                new DeliveryRequest("late", 1, 1, new TimeWindow(3600, 4000), 60, false, Optional.empty()),
                new DeliveryRequest("early", 4, 1, new TimeWindow(0, 600), 60, false, Optional.empty()),
                new DeliveryRequest("middle", 7, 1, new TimeWindow(1200, 2400), 60, false, Optional.empty()));
        Volunteer v = new Volunteer("v", DEPOT, DEPOT, 10, new TimeWindow(0, 5000), "foot", 0);
        DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(requests, List.of(), List.of(v),
                Map.of("foot", line())), QUICK);

        assertThat(plan.unserved()).isEmpty();
        VolunteerRoute route = plan.routes().get(0);
        assertThat(route.stops()).extracting(PlannedStop::requestId)
                .containsExactly(null, "early", "middle", "late", null);
        Map<String, TimeWindow> windows = new HashMap<>();
        requests.forEach(r -> windows.put(r.id(), r.window()));
        route.stops().stream().filter(s -> s.kind() == StopKind.DELIVERY).forEach(s ->
                assertThat(s.arrival()).as(s.requestId()).isBetween(windows.get(s.requestId()).earliest(),
                        windows.get(s.requestId()).latest()));
        assertThat(route.stops().get(route.stops().size() - 1).arrival()).isLessThanOrEqualTo(5000);
    }

    @Test
    void urgentRequestIsKeptWhenCapacityForcesAChoice() {
        // Capacity 2 for three parcels: the far urgent one stays, one of the near ones is left out.
        List<DeliveryRequest> requests = List.of(request("near-a", 1, 1), request("near-b", 2, 1),
                new DeliveryRequest("urgent-far", 9, 1, DAY, 60, true, Optional.empty()));
        DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(requests, List.of(),
                List.of(volunteer("v", 2)), Map.of("foot", line())), QUICK);

        assertThat(plan.routes()).flatMap(VolunteerRoute::stops).extracting(PlannedStop::requestId)
                .contains("urgent-far");
        assertThat(plan.unserved()).singleElement().satisfies(u -> {
            assertThat(u.requestId()).startsWith("near-");
            assertThat(u.reason()).isEqualTo(UnservedRequest.Reason.NOT_ASSIGNED_BY_SOLVER);
        });
    }

    @Test
    void urgentRequestIsServedBeforeAnEquallyCheapNonUrgentOne() {
        // 0→1→2→0 and 0→2→1→0 cost the same; the urgent one at 2 must come first.
        List<DeliveryRequest> requests = List.of(request("normal", 1, 1),
                new DeliveryRequest("urgent", 2, 1, DAY, 60, true, Optional.empty()));
        DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(requests, List.of(),
                List.of(volunteer("v", 5)), Map.of("foot", line())), QUICK);
        assertThat(plan.routes().get(0).stops()).extracting(PlannedStop::requestId)
                .containsExactly(null, "urgent", "normal", null);
    }

    @Test
    void unservableRequestsComeBackWithTheirReasons() {
        TravelCosts costs = line();
        costs.seconds()[DEPOT][8] = TravelCosts.UNREACHABLE; // location 8 cannot be reached from the depot
        List<DeliveryRequest> requests = List.of(
                request("ok", 1, 1),
                request("too-heavy", 2, 50),
                new DeliveryRequest("too-late", 9, 1, new TimeWindow(0, 120), 60, false, Optional.empty()),
                request("island", 8, 1));
        DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(requests, List.of(),
                List.of(volunteer("v1", 5), volunteer("v2", 10)), Map.of("foot", costs)), QUICK);

        assertThat(plan.unserved()).extracting(UnservedRequest::requestId, UnservedRequest::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("too-heavy", UnservedRequest.Reason.NO_VOLUNTEER_WITH_CAPACITY),
                        org.assertj.core.groups.Tuple.tuple("too-late", UnservedRequest.Reason.TIME_WINDOW_IMPOSSIBLE),
                        org.assertj.core.groups.Tuple.tuple("island", UnservedRequest.Reason.UNREACHABLE));
        assertThat(plan.routes()).flatMap(VolunteerRoute::stops).extracting(PlannedStop::requestId).contains("ok");
    }

    @Test
    void aTiedRequestUsesItsPharmacyAndAFreeOneTheCheapest() {
        List<Pharmacy> pharmacies = List.of(pharmacy("east", 4), pharmacy("west", 8));
        // Household at x = -2: west (x = -3) is on the way, east (x = +4) is not.
        DeliveryRequest tied = new DeliveryRequest("tied", 7, 1, DAY, 60, false, Optional.of("east"));
        DeliveryRequest free = request("free", 7, 1);
        for (DeliveryRequest request : List.of(tied, free)) {
            DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(List.of(request), pharmacies,
                    List.of(volunteer("v", 5)), Map.of("foot", line())), QUICK);
            assertThat(plan.unserved()).isEmpty();
            assertThat(plan.routes().get(0).stops()).filteredOn(st -> st.kind() == StopKind.PICKUP)
                    .singleElement().extracting(PlannedStop::pharmacyId)
                    .isEqualTo(request == tied ? "east" : "west");
        }
    }

    @Test
    void eachVolunteerTravelsOnTheirOwnProfile() {
        TravelCosts foot = line();
        for (int i = 0; i < POSITIONS.length; i++) {
            foot.seconds()[i][9] = TravelCosts.UNREACHABLE; // nobody walks to location 9
        }
        long[][] fast = new long[POSITIONS.length][POSITIONS.length];
        for (int i = 0; i < fast.length; i++) {
            for (int j = 0; j < fast.length; j++) {
                fast[i][j] = line().seconds()[i][j] / 3;
            }
        }
        List<DeliveryRequest> requests = List.of(request("far", 9, 1), request("near", 1, 1));
        List<Volunteer> volunteers = List.of(new Volunteer("walker", DEPOT, DEPOT, 5, DAY, "foot", 1),
                new Volunteer("driver", DEPOT, DEPOT, 5, DAY, "car", 1));
        DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(requests, List.of(), volunteers,
                Map.of("foot", foot, "car", TravelCosts.ofSeconds(fast))), QUICK);
        assertThat(plan.unserved()).isEmpty();
        Map<String, String> byRequest = new HashMap<>();
        plan.routes().forEach(r -> r.stops().stream().filter(s -> s.requestId() != null)
                .forEach(s -> byRequest.put(s.requestId(), r.volunteerId())));
        assertThat(byRequest).containsEntry("far", "driver").containsEntry("near", "walker");
    }

    @Test
    void visitTourGoesFromTheOfficeThroughTheWindowsAndBack() {
        List<VisitStop> visits = new ArrayList<>(List.of(
                new VisitStop("afternoon", 3, new TimeWindow(4 * 3600, 5 * 3600), 1800, false),
                new VisitStop("morning", 7, new TimeWindow(0, 3600), 1800, true),
                new VisitStop("any", 5, DAY, 1800, false),
                new VisitStop("yesterday", 2, new TimeWindow(0, 30), 1800, true)));
        VisitTour tour = optimizer.planVisitTour(new VisitTourProblem("worker", 1, DAY, visits, line()), QUICK);
        List<PlannedStop> stops = tour.route().stops();
        assertThat(stops.get(0).kind()).isEqualTo(StopKind.START);
        assertThat(stops.get(0).location()).isEqualTo(1);
        assertThat(stops.get(stops.size() - 1).location()).isEqualTo(1);
        assertThat(stops).filteredOn(s -> s.kind() == StopKind.VISIT).extracting(PlannedStop::requestId)
                .containsExactlyInAnyOrder("morning", "any", "afternoon");
        assertThat(stops.indexOf(stops.stream().filter(s -> "morning".equals(s.requestId())).findFirst().orElseThrow()))
                .isLessThan(stops.indexOf(stops.stream().filter(s -> "afternoon".equals(s.requestId())).findFirst().orElseThrow()));
        assertThat(tour.unvisited()).singleElement().satisfies(u -> {
            assertThat(u.requestId()).isEqualTo("yesterday");
            assertThat(u.reason()).isEqualTo(UnservedRequest.Reason.TIME_WINDOW_IMPOSSIBLE);
        });
    }
}
