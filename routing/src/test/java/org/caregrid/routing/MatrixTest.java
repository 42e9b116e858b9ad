package org.caregrid.routing;

import com.graphhopper.GHRequest;
import com.graphhopper.GHResponse;
import com.graphhopper.ResponsePath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MatrixTest {

    @ParameterizedTest
    @EnumSource(TravelMode.class)
    void matrixEqualsGraphHoppersOneToOneRoutesOnRandomPairs(TravelMode mode) {
        RoadNetwork network = SharedData.monaco();
        List<Place> sources = MonacoPlaces.random("s", 25, 11 + mode.ordinal());
        List<Place> targets = MonacoPlaces.random("t", 25, 101 + mode.ordinal());
        TravelMatrix matrix = network.matrix(mode, sources, targets);
        assertThat(matrix.unsnapped()).isEmpty();

        int compared = 0;
        int inexactTimes = 0;
        for (int i = 0; i < sources.size(); i++) {
            for (int j = 0; j < targets.size(); j++) {
                Place s = sources.get(i);
                Place t = targets.get(j);
                GHResponse own = network.hopper().route(new GHRequest(s.lat(), s.lon(), t.lat(), t.lon())
                        .setProfile(mode.profileName()));
                String pair = mode + " " + s + " -> " + t;
                if (own.hasErrors()) {
                    assertThat(matrix.reachable(i, j)).as(pair).isFalse();
                    continue;
                }
                ResponsePath path = own.getBest();
                assertThat(matrix.reachable(i, j)).as(pair).isTrue();
                assertThat(matrix.weights()[i][j]).as(pair).isCloseTo(path.getRouteWeight(), within(1e-3));
                assertThat(matrix.distanceMeters()[i][j]).as(pair).isCloseTo(path.getDistance(), within(0.001));
                // GraphHopper rounds time per edge; other places snapped onto the same road split it into more
                // virtual edges in the shared query graph, so a few ms of rounding may differ.
                assertThat(matrix.timeMillis()[i][j]).as(pair).isCloseTo(path.getTime(), within(5L));
                compared++;
                if (matrix.timeMillis()[i][j] != path.getTime()) {
                    // Alone, with no other snaps splitting its roads, the pair must match to the millisecond.
                    TravelMatrix alone = network.matrix(mode, List.of(s), List.of(t));
                    assertThat(alone.timeMillis()[0][0]).as(pair).isEqualTo(path.getTime());
                    assertThat(alone.distanceMeters()[0][0]).as(pair).isCloseTo(path.getDistance(), within(0.001));
                    inexactTimes++;
                }
            }
        }
        assertThat(compared).isGreaterThan(sources.size() * targets.size() * 9 / 10);
        assertThat(inexactTimes).isLessThan(compared / 5);
    }

    @Test
    void unsnappedPlacesAreReportedAndTheirCellsUnreachable() {
        List<Place> sources = new ArrayList<>(MonacoPlaces.random("s", 3, 5));
        sources.add(new Place("at-sea", 43.70, 7.50));
        List<Place> targets = MonacoPlaces.random("t", 2, 6);
        TravelMatrix matrix = SharedData.monaco().matrix(TravelMode.FOOT, sources, targets);
        assertThat(matrix.unsnapped()).extracting(Unsnapped::id).containsExactly("at-sea");
        assertThat(matrix.reachable(3, 0)).isFalse();
        assertThat(matrix.distanceMeters()[3][1]).isNaN();
        assertThat(matrix.timeMillis()[3][1]).isEqualTo(TravelMatrix.UNREACHABLE_TIME);
        assertThat(matrix.weights()[3][1]).isInfinite();
        assertThat(matrix.reachable(0, 0)).isTrue();
        assertThat(matrix.unreachableCount()).isEqualTo(2);
    }

    @Test
    void emptySidesGiveAnEmptyMatrix() {
        TravelMatrix matrix = SharedData.monaco().matrix(TravelMode.FOOT, List.of(), MonacoPlaces.random("t", 3, 9));
        assertThat(matrix.sourceIds()).isEmpty();
        assertThat(matrix.distanceMeters()).isEmpty();
        assertThat(matrix.unreachableCount()).isZero();
    }

    @Test
    void diagonalOfTheSamePlacesIsZero() {
        List<Place> places = MonacoPlaces.random("p", 5, 8);
        TravelMatrix matrix = SharedData.monaco().matrix(TravelMode.CAR, places, places);
        for (int i = 0; i < places.size(); i++) {
            assertThat(matrix.distanceMeters()[i][i]).isZero();
            assertThat(matrix.timeMillis()[i][i]).isZero();
        }
    }
}
