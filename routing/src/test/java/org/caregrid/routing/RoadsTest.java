package org.caregrid.routing;

import com.graphhopper.routing.util.AllEdgesIterator;
import com.graphhopper.util.FetchMode;
import com.graphhopper.util.PointList;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class RoadsTest {

    // around rue Grimaldi
    static final Bounds BOX = new Bounds(43.7310, 7.4170, 43.7340, 7.4210);

    @Test
    void theEdgesOfABoxAreThoseAWalkOverAllEdgesFinds() {
        RoadNetwork network = SharedData.monaco();
        List<Road> roads = network.roads(BOX, 100_000);
        TreeSet<Integer> expected = new TreeSet<>();
        AllEdgesIterator edges = network.hopper().getBaseGraph().getAllEdges();
        while (edges.next()) {
            PointList points = edges.fetchWayGeometry(FetchMode.ALL);
            double minLat = Double.MAX_VALUE, maxLat = -Double.MAX_VALUE, minLon = Double.MAX_VALUE, maxLon = -Double.MAX_VALUE;
            for (int i = 0; i < points.size(); i++) {
                minLat = Math.min(minLat, points.getLat(i));
                maxLat = Math.max(maxLat, points.getLat(i));
                minLon = Math.min(minLon, points.getLon(i));
                maxLon = Math.max(maxLon, points.getLon(i));
            }
            if (points.size() >= 2 && minLat <= BOX.maxLat() && maxLat >= BOX.minLat()
                    && minLon <= BOX.maxLon() && maxLon >= BOX.minLon()) {
                expected.add(edges.getEdge());
            }
        }
        assertThat(roads).extracting(Road::edgeId).containsExactlyElementsOf(expected);
        assertThat(roads).extracting(Road::roadClass).doesNotContainNull().doesNotContain("");
        assertThat(roads).allSatisfy(r -> assertThat(r.geometry().getNumPoints()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void aLimitReturnsOneMoreSoThatTruncationShows() {
        RoadNetwork network = SharedData.monaco();
        List<Road> all = network.roads(BOX, 100_000);
        assertThat(all.size()).isGreaterThan(5);
        assertThat(network.roads(BOX, 5)).hasSize(6).extracting(Road::edgeId)
                .containsExactlyElementsOf(all.subList(0, 6).stream().map(Road::edgeId).toList());
    }
}
