package org.caregrid.routing;

import com.graphhopper.GHRequest;
import com.graphhopper.GHResponse;
import com.graphhopper.storage.NodeAccess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IsochroneTest {
    static final Place CENTRE = new Place("centre", 43.7335, 7.4200);
    static final GeometryFactory GEOMETRY = new GeometryFactory();

    @ParameterizedTest
    @EnumSource(value = TravelMode.class, names = {"FOOT", "CAR"})
    void containsPlacesWithinTheLimitAndNotThoseClearlyBeyond(TravelMode mode) {
        RoadNetwork network = SharedData.monaco();
        Duration limit = mode == TravelMode.FOOT ? Duration.ofMinutes(8) : Duration.ofMinutes(2);
        IsochroneResult result = network.isochrone(mode, CENTRE, limit);
        MultiPolygon area = result.area().orElseThrow();
        assertThat(area.isEmpty()).isFalse();

        NodeAccess nodes = network.hopper().getBaseGraph().getNodeAccess();
        int nodeCount = network.hopper().getBaseGraph().getNodes();
        Random random = new Random(42);
        int inside = 0;
        int outside = 0;
        for (int k = 0; k < 1000; k++) {
            int node = random.nextInt(nodeCount);
            double lat = nodes.getLat(node);
            double lon = nodes.getLon(node);
            // Only nodes on the mode's own network: a footpath node next to a road would be timed to that road.
            SnapReport snap = network.snap(mode, java.util.List.of(new Place("n" + node, lat, lon)));
            if (snap.snapped().isEmpty() || snap.snapped().get(0).distanceMeters() > 0.5) {
                continue;
            }
            GHResponse route = network.hopper().route(new GHRequest(CENTRE.lat(), CENTRE.lon(), lat, lon)
                    .setProfile(mode.profileName()));
            if (route.hasErrors()) {
                continue;
            }
            long millis = route.getBest().getTime();
            boolean covered = area.covers(GEOMETRY.createPoint(new Coordinate(lon, lat)));
            if (millis <= limit.toMillis() * 0.8) {
                assertThat(covered).as("%s node %d reached in %d ms should be inside", mode, node, millis).isTrue();
                inside++;
            } else if (millis >= limit.toMillis() * 1.5) {
                assertThat(covered).as("%s node %d reached in %d ms should be outside", mode, node, millis).isFalse();
                outside++;
            }
        }
        assertThat(inside).isGreaterThan(20);
        assertThat(outside).isGreaterThan(20);
    }

    @Test
    void geoJsonFeatureCarriesTheMultiPolygon() {
        IsochroneResult result = SharedData.monaco().isochrone(TravelMode.FOOT, CENTRE, Duration.ofMinutes(5));
        assertThat(result.toGeoJsonFeature())
                .startsWith("{\"type\":\"Feature\",\"properties\":{\"centre\":\"centre\",\"profile\":\"foot\",\"seconds\":300}")
                .contains("\"type\":\"MultiPolygon\",\"coordinates\":[[[[7.");
    }

    @Test
    void unsnappableCentreIsReported() {
        IsochroneResult result = SharedData.monaco().isochrone(TravelMode.FOOT, new Place("sea", 43.70, 7.50),
                Duration.ofMinutes(5));
        assertThat(result.area()).isEmpty();
        assertThat(result.unsnapped()).extracting(Unsnapped::id).containsExactly("sea");
        assertThat(result.toGeoJsonFeature()).isNull();
    }
}
