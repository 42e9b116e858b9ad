package org.caregrid.routing;

import com.graphhopper.GHRequest;
import com.graphhopper.GHResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RouteTest {
    static final Place A = new Place("a", 43.7396, 7.4275);
    static final Place B = new Place("b", 43.7276, 7.4154);
    static final Place VIA = new Place("via", 43.7338, 7.4190);

    @Test
    void routeAgreesWithGraphHoppersOwnForEveryMode() {
        RoadNetwork network = SharedData.monaco();
        for (TravelMode mode : TravelMode.values()) {
            Route route = network.route(mode, List.of(A, B), Locale.ENGLISH).route().orElseThrow();
            GHResponse own = network.hopper().route(new GHRequest(A.lat(), A.lon(), B.lat(), B.lon())
                    .setProfile(mode.profileName()));
            assertThat(route.distanceMeters()).as(mode.name()).isCloseTo(own.getBest().getDistance(), within(1e-6));
            assertThat(route.timeMillis()).as(mode.name()).isEqualTo(own.getBest().getTime());
            assertThat(route.distanceMeters()).isBetween(1500.0, 5000.0);
            assertThat(route.geometry().getNumPoints()).isGreaterThan(10);
            assertThat(route.geometry().getCoordinateN(0).y).isCloseTo(A.lat(), within(0.002));
        }
    }

    @Test
    void instructionsComeInChineseAndEnglish() {
        RoadNetwork network = SharedData.monaco();
        Route zh = network.route(TravelMode.FOOT, List.of(A, B), Locale.SIMPLIFIED_CHINESE).route().orElseThrow();
        Route en = network.route(TravelMode.FOOT, List.of(A, B), Locale.ENGLISH).route().orElseThrow();
        assertThat(zh.instructions()).hasSameSizeAs(en.instructions()).hasSizeGreaterThan(2);
        assertThat(zh.instructions().get(zh.instructions().size() - 1).text()).isEqualTo("到达终点");
        assertThat(en.instructions().get(en.instructions().size() - 1).text()).isEqualTo("arrive at destination");
        assertThat(zh.instructions()).anySatisfy(i -> assertThat(i.text()).containsPattern("[左右]转|继续"));
        assertThat(en.instructions()).anySatisfy(i -> assertThat(i.text()).containsPattern("turn|continue"));
        // Instruction distances add up to the route.
        assertThat(en.instructions().stream().mapToDouble(Route.TurnInstruction::distanceMeters).sum())
                .isCloseTo(en.distanceMeters(), within(0.5));
    }

    @Test
    void viaPointsAreVisitedInOrder() {
        RoadNetwork network = SharedData.monaco();
        Route direct = network.route(TravelMode.CAR, List.of(A, B), Locale.ENGLISH).route().orElseThrow();
        Route via = network.route(TravelMode.CAR, List.of(A, VIA, B), Locale.ENGLISH).route().orElseThrow();
        Route firstLeg = network.route(TravelMode.CAR, List.of(A, VIA), Locale.ENGLISH).route().orElseThrow();
        Route secondLeg = network.route(TravelMode.CAR, List.of(VIA, B), Locale.ENGLISH).route().orElseThrow();
        assertThat(via.distanceMeters()).isGreaterThanOrEqualTo(direct.distanceMeters() - 1e-6)
                .isCloseTo(firstLeg.distanceMeters() + secondLeg.distanceMeters(), within(0.01));
        assertThat(via.timeMillis()).isEqualTo(firstLeg.timeMillis() + secondLeg.timeMillis());
        assertThat(via.instructions()).anySatisfy(i -> assertThat(i.text()).contains("waypoint"));
    }

    @Test
    void travelSummaryMatchesTheFullRoute() {
        RoadNetwork network = SharedData.monaco();
        Route route = network.route(TravelMode.BIKE, List.of(A, B), Locale.ENGLISH).route().orElseThrow();
        TravelSummary summary = network.travel(TravelMode.BIKE, A, B).orElseThrow();
        assertThat(summary.distanceMeters()).isCloseTo(route.distanceMeters(), within(1e-6));
        assertThat(summary.timeMillis()).isEqualTo(route.timeMillis());
        assertThat(network.travel(TravelMode.BIKE, A, new Place("sea", 43.70, 7.50))).isEmpty();
    }

    @Test
    void unsnappablePointsAreReportedByIdInsteadOfRouted() {
        RouteResult result = SharedData.monaco().route(TravelMode.FOOT,
                List.of(A, new Place("boat", 43.70, 7.50)), Locale.ENGLISH);
        assertThat(result.route()).isEmpty();
        assertThat(result.unsnapped()).extracting(Unsnapped::id).containsExactly("boat");
        assertThat(result.problem()).contains("boat");
    }
}
