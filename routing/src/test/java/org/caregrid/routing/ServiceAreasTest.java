package org.caregrid.routing;

import com.graphhopper.routing.weighting.Weighting;
import org.junit.jupiter.api.Test;
import com.graphhopper.storage.NodeAccess;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service areas of several facilities from one multi-source search against the old way, one isochrone per
 * facility merged, on Monaco's real network.
 */
class ServiceAreasTest {
    static final GeometryFactory GEOMETRY = new GeometryFactory();
    static final List<Duration> LIMITS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10));

    @Test
    void oneSearchReachesTheNodesThatEachFacilitysOwnSearchReaches() {
        RoadNetwork network = SharedData.monaco();
        List<Place> facilities = MonacoPlaces.random("pharmacy", 6, 77);
        IsochroneBuilder.Tree tree = new IsochroneBuilder(network).grow(TravelMode.FOOT, facilities,
                Duration.ofMinutes(10).toMillis());
        assertThat(tree.snapped()).isEqualTo(6);
        int baseNodes = network.hopper().getBaseGraph().getNodes();
        // each facility's own search, unlimited, on the same query graph (so that split roads are timed alike)
        Weighting weighting = tree.graph().wrapWeighting(network.weighting(TravelMode.FOOT));
        List<MultiSourceDijkstra> single = new ArrayList<>();
        for (int source : tree.sourceNodes()) {
            single.add(MultiSourceDijkstra.run(tree.graph(), weighting, new int[] {source}, false));
        }
        for (Duration limit : LIMITS) {
            long l = limit.toMillis();
            Set<Integer> multi = new HashSet<>();
            Set<Integer> union = new HashSet<>();
            Set<Integer> byBestWalk = new HashSet<>();
            for (int node = 0; node < baseNodes; node++) {
                if (tree.search().settled[node] && tree.search().time[node] <= l) {
                    multi.add(node);
                }
                MultiSourceDijkstra best = null;
                for (MultiSourceDijkstra s : single) {
                    if (s.time[node] >= 0 && s.time[node] <= l) {
                        union.add(node);
                    }
                    if (s.time[node] >= 0 && (best == null || s.weight[node] < best.weight[node])) {
                        best = s;
                    }
                }
                if (best != null && best.time[node] <= l) {
                    byBestWalk.add(node);
                }
            }
            System.out.printf("limit %s: multi %d, union %d, by best walk %d, union-multi %d, multi-union %d%n", limit,
                    multi.size(), union.size(), byBestWalk.size(), union.stream().filter(n -> !multi.contains(n)).count(),
                    multi.stream().filter(n -> !union.contains(n)).count());
            assertThat(multi).as("within %s", limit).isEqualTo(byBestWalk);
            assertThat(union).containsAll(multi);
        }
    }

    @Test
    void polygonsHoldTheSameNodesAsTheMergedIsochronesOfEachFacility() {
        RoadNetwork network = SharedData.monaco();
        List<Place> facilities = MonacoPlaces.random("pharmacy", 6, 77);
        ServiceAreas areas = network.serviceAreas(TravelMode.FOOT, facilities, LIMITS);
        assertThat(areas.areas()).extracting(ServiceAreas.Area::limit).containsExactlyElementsOf(LIMITS);
        IsochroneBuilder.Tree tree = new IsochroneBuilder(network).grow(TravelMode.FOOT, facilities,
                Duration.ofMinutes(10).toMillis());
        NodeAccess nodes = network.hopper().getBaseGraph().getNodeAccess();
        for (ServiceAreas.Area area : areas.areas()) {
            List<Geometry> isochrones = new ArrayList<>();
            for (Place facility : facilities) {
                isochrones.add(network.isochrone(TravelMode.FOOT, facility, area.limit()).area().orElseThrow());
            }
            Geometry merged = OverlayNGRobust.union(isochrones);
            MultiPolygon multi = area.area();
            PreparedGeometry multiPrepared = PreparedGeometryFactory.prepare(multi);
            PreparedGeometry mergedPrepared = PreparedGeometryFactory.prepare(merged);
            long l = area.limit().toMillis();
            // every node the contour was cut among lies inside exactly when it is reached within the limit, and the
            // merged isochrones hold each of those nodes too
            int inside = 0;
            for (int node = 0; node < network.hopper().getBaseGraph().getNodes(); node++) {
                long t = tree.search().time[node];
                if (!tree.search().settled[node] || t > l + Math.max(l * 15 / 100, 120_000)) {
                    continue;
                }
                Point p = GEOMETRY.createPoint(new Coordinate(nodes.getLon(node), nodes.getLat(node)));
                assertThat(multiPrepared.covers(p)).as("node %d at %d ms, limit %s", node, t, area.limit())
                        .isEqualTo(t <= l);
                if (t <= l) {
                    assertThat(mergedPrepared.covers(p)).as("node %d at %d ms", node, t).isTrue();
                    inside++;
                }
            }
            assertThat(inside).isPositive();
            double lost = OverlayNGRobust.overlay(merged, multi, OverlayNG.DIFFERENCE).getArea();
            double gained = OverlayNGRobust.overlay(multi, merged, OverlayNG.DIFFERENCE).getArea();
            System.out.printf("limit %s: %d nodes inside; area multi %.8f merged %.8f lost %.8f gained %.8f%n",
                    area.limit(), inside, multi.getArea(), merged.getArea(), lost, gained);
            // The one search covers what the isochrones covered. It adds the space between two facilities' areas
            // where no road node lies (a block, a harbour between two quays): each isochrone's contour stopped
            // halfway to the other's nodes, one triangulation of them all joins them.
            assertThat(lost).isLessThan(merged.getArea() * 0.02);
        }
    }

    @Test
    void oneFacilitysAreasAreItsIsochrones() {
        RoadNetwork network = SharedData.monaco();
        Place centre = IsochroneTest.CENTRE;
        ServiceAreas areas = network.serviceAreas(TravelMode.FOOT, List.of(centre),
                List.of(Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(10)));
        for (ServiceAreas.Area area : areas.areas()) {
            MultiPolygon isochrone = network.isochrone(TravelMode.FOOT, centre, area.limit()).area().orElseThrow();
            assertThat(area.area().equalsExact(isochrone)).as("%s", area.limit()).isTrue();
        }
    }

    @Test
    void unsnappedFacilitiesAreListedAndTheOthersStillCount() {
        List<Place> facilities = new ArrayList<>(MonacoPlaces.random("pharmacy", 2, 1));
        facilities.add(new Place("floating-pharmacy", 43.70, 7.50));
        ServiceAreas areas = SharedData.monaco().serviceAreas(TravelMode.FOOT, facilities, LIMITS);
        assertThat(areas.snapped()).isEqualTo(2);
        assertThat(areas.unsnapped()).extracting(Unsnapped::id).containsExactly("floating-pharmacy");
        assertThat(areas.areas()).hasSize(2).allSatisfy(a -> assertThat(a.area().isEmpty()).isFalse());
        assertThat(areas.toGeoJsonFeatures()).hasSize(2).first().asString()
                .startsWith("{\"type\":\"Feature\",\"properties\":{\"minutes\":10,\"seconds\":600,\"profile\":\"foot\"}");
    }

    @Test
    void noSnappedFacilityGivesNoArea() {
        ServiceAreas areas = SharedData.monaco().serviceAreas(TravelMode.FOOT,
                List.of(new Place("sea", 43.70, 7.50)), LIMITS);
        assertThat(areas.areas()).isEmpty();
        assertThat(areas.snapped()).isZero();
        assertThat(areas.unsnapped()).extracting(Unsnapped::id).containsExactly("sea");
    }
}
