package org.caregrid.routing;

import com.graphhopper.storage.index.Snap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk snapper must give the location index's own answer, point by point (it only finds it sooner). */
class BulkSnapperTest {

    @Test
    void snapsInBulkAreGraphHoppersSnapsOneByOne() {
        RoadNetwork network = SharedData.monaco();
        Bounds bounds = network.bounds();
        // near roads, between them, and out at sea (no road within the limit)
        List<Place> places = new ArrayList<>(MonacoPlaces.random("near", 2000, 11));
        Random random = new Random(12);
        for (int i = 0; i < 1000; i++) {
            places.add(new Place("any" + i, bounds.minLat() - 0.01 + random.nextDouble() * (bounds.maxLat() - bounds.minLat() + 0.02),
                    bounds.minLon() - 0.01 + random.nextDouble() * (bounds.maxLon() - bounds.minLon() + 0.02)));
        }
        for (TravelMode mode : TravelMode.values()) {
            List<RoadNetwork.Snapping> bulk = network.bulkSnapping(mode, places).snapAll(places, false);
            int snapped = 0;
            int tooFar = 0;
            for (int i = 0; i < places.size(); i++) {
                RoadNetwork.Snapping one = network.snapOne(mode, places.get(i));
                RoadNetwork.Snapping many = bulk.get(i);
                String what = mode + " " + places.get(i);
                assertThat(many.failure()).as(what).isEqualTo(one.failure());
                if (one.snap() == null) {
                    assertThat(many.snap()).as(what).isNull();
                    tooFar += one.failure().reason() == Unsnapped.Reason.TOO_FAR_FROM_ROAD ? 1 : 0;
                    continue;
                }
                snapped++;
                Snap a = one.snap();
                Snap b = many.snap();
                assertThat(b.getClosestNode()).as(what).isEqualTo(a.getClosestNode());
                assertThat(b.getSnappedPosition()).as(what).isEqualTo(a.getSnappedPosition());
                assertThat(b.getQueryDistance()).as(what).isEqualTo(a.getQueryDistance());
                assertThat(b.getSnappedPoint()).as(what).isEqualTo(a.getSnappedPoint());
                // at a junction every edge through it is as close; the query graph then uses the node alone
                if (a.getSnappedPosition() != Snap.Position.TOWER) {
                    assertThat(b.getClosestEdge().getEdge()).as(what).isEqualTo(a.getClosestEdge().getEdge());
                    assertThat(b.getWayIndex()).as(what).isEqualTo(a.getWayIndex());
                }
            }
            assertThat(snapped).as(mode + " snapped").isGreaterThan(2000);
            assertThat(tooFar).as(mode + " too far").isPositive();
        }
    }
}
