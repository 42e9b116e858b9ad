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
}
