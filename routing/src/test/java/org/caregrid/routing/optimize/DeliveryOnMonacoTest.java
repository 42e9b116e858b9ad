package org.caregrid.routing.optimize;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.SharedData;
import org.caregrid.routing.TravelMatrix;
import org.caregrid.routing.TravelMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The way the server uses it: network matrices per profile in, a plan on real streets out. */
class DeliveryOnMonacoTest {

    @Test
    void plansDeliveriesOnNetworkMatricesForAWalkerAndADriver() {
        RoadNetwork network = SharedData.monaco();
        List<Place> places = List.of(
                new Place("home-of-volunteers", 43.7335, 7.4200),
                new Place("pharmacy", 43.7396, 7.4275),
                new Place("h1", 43.7276, 7.4154), new Place("h2", 43.7310, 7.4190),
                new Place("h3", 43.7370, 7.4250), new Place("h4", 43.7420, 7.4290),
                new Place("h5", 43.7450, 7.4300));
        TravelMatrix foot = network.matrix(TravelMode.FOOT, places, places);
        TravelMatrix car = network.matrix(TravelMode.CAR, places, places);
        assertThat(foot.unsnapped()).isEmpty();

        TimeWindow day = new TimeWindow(8 * 3600, 18 * 3600);
        List<DeliveryRequest> requests = new ArrayList<>();
        for (int i = 2; i < places.size(); i++) {
            requests.add(new DeliveryRequest(places.get(i).id(), i, 1, day, 120, i == 6, Optional.of("pharmacy")));
        }
        List<Volunteer> volunteers = List.of(new Volunteer("walker", 0, 0, 2, day, "foot", 0),
                new Volunteer("driver", 0, 0, 4, day, "car", 0));
        DeliveryPlan plan = new OrToolsRouteOptimizer().planDeliveries(new DeliveryProblem(requests,
                List.of(new Pharmacy("pharmacy", 1, day, 60)), volunteers,
                Map.of("foot", TravelCosts.fromMatrix(foot), "car", TravelCosts.fromMatrix(car))), SolverLimits.seconds(1));

        assertThat(plan.unserved()).isEmpty();
        assertThat(plan.routes()).flatMap(VolunteerRoute::stops).filteredOn(s -> s.kind() == StopKind.DELIVERY)
                .hasSize(5);
        for (VolunteerRoute route : plan.routes()) {
            long capacity = route.volunteerId().equals("walker") ? 2 : 4;
            assertThat(route.stops()).allSatisfy(s -> assertThat(s.load()).isBetween(0L, capacity));
            assertThat(route.durationSeconds()).isPositive();
        }
    }

    @Test
    void pickupsComeBeforeTheirDeliveriesAndPinnedRequestsStayWithTheirVolunteerOnMonaco() {
        RoadNetwork network = SharedData.monaco();
        List<Place> places = List.of(
                new Place("walker-home", 43.7335, 7.4200), new Place("driver-home", 43.7300, 7.4180),
                new Place("pharmacy-north", 43.7396, 7.4275), new Place("pharmacy-south", 43.7290, 7.4160),
                new Place("h1", 43.7276, 7.4154), new Place("h2", 43.7310, 7.4190),
                new Place("h3", 43.7370, 7.4250), new Place("h4", 43.7420, 7.4290),
                new Place("h5", 43.7450, 7.4300), new Place("h6", 43.7350, 7.4230));
        TravelMatrix foot = network.matrix(TravelMode.FOOT, places, places);
        TravelMatrix car = network.matrix(TravelMode.CAR, places, places);
        assertThat(foot.unsnapped()).isEmpty();
        assertThat(car.unsnapped()).isEmpty();

        TimeWindow day = new TimeWindow(8 * 3600, 18 * 3600);
        List<DeliveryRequest> requests = new ArrayList<>();
        for (int i = 4; i < places.size(); i++) {
            Optional<String> pharmacy = i % 2 == 0 ? Optional.of("pharmacy-north") : Optional.empty();
            requests.add(new DeliveryRequest(places.get(i).id(), i, 1, day, 120, false, pharmacy));
        }
        // h5 is far north, nearer the walker's side; the dispatcher gives it to the driver anyway, and h1 to the walker.
        requests.set(4, requests.get(4).pinnedTo("driver"));
        requests.set(0, requests.get(0).pinnedTo("walker"));
        List<Volunteer> volunteers = List.of(new Volunteer("walker", 0, 0, 3, day, "foot", 4),
                new Volunteer("driver", 1, 1, 6, day, "car", 0));
        DeliveryProblem problem = new DeliveryProblem(requests,
                List.of(new Pharmacy("pharmacy-north", 2, day, 60), new Pharmacy("pharmacy-south", 3, day, 60)),
                volunteers, Map.of("foot", TravelCosts.fromMatrix(foot), "car", TravelCosts.fromMatrix(car)));

        for (RouteOptimizer optimizer : List.of(new HgsRouteOptimizer(), new OrToolsRouteOptimizer())) {
            DeliveryPlan plan = optimizer.planDeliveries(problem, SolverLimits.seconds(2).withMaxIterations(500));
            assertThat(PlanChecker.violations(problem, plan)).as(optimizer.getClass().getSimpleName()).isEmpty();
            assertThat(plan.unserved()).isEmpty();
            for (VolunteerRoute route : plan.routes()) {
                List<String> order = route.stops().stream()
                        .map(s -> s.kind() + ":" + s.requestId()).toList();
                for (DeliveryRequest r : requests) {
                    if (order.contains("DELIVERY:" + r.id())) {
                        assertThat(order.indexOf("PICKUP:" + r.id())).as(r.id() + " in " + order)
                                .isNotNegative().isLessThan(order.indexOf("DELIVERY:" + r.id()));
                    }
                }
            }
            assertThat(servedBy(plan, "h5")).isEqualTo("driver");
            assertThat(servedBy(plan, "h1")).isEqualTo("walker");
        }
    }

    private static String servedBy(DeliveryPlan plan, String requestId) {
        return plan.routes().stream()
                .filter(r -> r.stops().stream().anyMatch(s -> s.kind() == StopKind.DELIVERY
                        && requestId.equals(s.requestId())))
                .map(VolunteerRoute::volunteerId).findFirst().orElse("nobody");
    }
}
