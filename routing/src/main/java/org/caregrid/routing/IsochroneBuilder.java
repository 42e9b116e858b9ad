package org.caregrid.routing;

import com.graphhopper.isochrone.algorithm.ContourBuilder;
import com.graphhopper.isochrone.algorithm.ReadableTriangulation;
import com.graphhopper.routing.querygraph.QueryGraph;
import com.graphhopper.routing.weighting.Weighting;
import com.graphhopper.storage.NodeAccess;
import com.graphhopper.storage.index.Snap;
import com.graphhopper.util.FetchMode;
import com.graphhopper.util.PointList;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.triangulate.ConformingDelaunayTriangulator;
import org.locationtech.jts.triangulate.ConstraintVertex;
import org.locationtech.jts.triangulate.quadedge.LocateFailureException;
import org.locationtech.jts.triangulate.quadedge.QuadEdgeSubdivision;
import org.locationtech.jts.triangulate.quadedge.Vertex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Isochrones and service areas, one code path: a time-limited shortest-path tree on the base graph from every
 * source at once (isochrones need every node within the limit, which CH cannot give), Delaunay-triangulated with
 * each node's travel time as z, then one contour per limit on that triangulation, as GraphHopper's isochrone
 * resource does for one source and one limit. A single isochrone is the case of one source.
 */
final class IsochroneBuilder {
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private final RoadNetwork network;

    IsochroneBuilder(RoadNetwork network) {
        this.network = network;
    }

    IsochroneResult build(TravelMode mode, Place centre, Duration limit) {
        ServiceAreas areas = serviceAreas(mode, List.of(centre), List.of(limit));
        return new IsochroneResult(centre, mode, limit, areas.areas().stream().findFirst().map(ServiceAreas.Area::area),
                areas.unsnapped());
    }

    ServiceAreas serviceAreas(TravelMode mode, List<Place> sources, List<Duration> limits) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("at least one time limit is needed");
        }
        for (Duration limit : limits) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("isochrone time limit must be positive, got " + limit);
            }
        }
        long longest = limits.stream().mapToLong(Duration::toMillis).max().orElseThrow();
        Tree tree = grow(mode, sources, longest);
        if (tree.snapped() == 0) {
            return new ServiceAreas(mode, List.of(), 0, tree.unsnapped());
        }
        List<ServiceAreas.Area> areas = new ArrayList<>();
        for (Duration limit : limits) {
            // Each limit is contoured on the sites within its own margin, exactly the sites its own search would
            // settle: a site far beyond a smaller limit would change the triangles it is cut on (on Monaco the
            // 5-minute area grew by 16 % when contoured among the 10-minute tree's sites).
            long explored = explored(limit.toMillis());
            List<Coordinate> sites = tree.sites().stream().filter(c -> c.getZ() <= explored).toList();
            MultiPolygon area = triangulate(sites)
                    .map(t -> new ContourBuilder(t).computeIsoline(limit.toMillis(), t.getEdges()))
                    .orElseGet(() -> GEOMETRY.createMultiPolygon());
            areas.add(new ServiceAreas.Area(limit, area));
        }
        return new ServiceAreas(mode, areas, tree.snapped(), tree.unsnapped());
    }

    /**
     * The search behind the contours: every node reached within the longest limit and a margin, and the sites of
     * the triangulation (each settled node and the middle of the road it was reached by, z = time).
     */
    record Tree(QueryGraph graph, MultiSourceDijkstra search, int[] sourceNodes, List<Coordinate> sites, int snapped,
                List<Unsnapped> unsnapped) {
    }

    /** How far a search for one limit explores: a margin beyond it, so the contour has nodes on both sides. */
    private static long explored(long limitMillis) {
        return limitMillis + Math.max(limitMillis * 15 / 100, 120_000);
    }

    Tree grow(TravelMode mode, List<Place> sources, long longestMillis) {
        List<RoadNetwork.Snapping> snappings = network.snapAll(mode, sources);
        List<Snap> snaps = snappings.stream().map(RoadNetwork.Snapping::snap).filter(Objects::nonNull).toList();
        List<Unsnapped> unsnapped = RoadNetwork.failures(snappings);
        if (snaps.isEmpty()) {
            return new Tree(null, null, new int[0], List.of(), 0, unsnapped);
        }
        QueryGraph queryGraph = QueryGraph.create(network.hopper().getBaseGraph(), snaps);
        Weighting weighting = queryGraph.wrapWeighting(network.weighting(mode));
        List<Coordinate> sites = new ArrayList<>();
        NodeAccess nodes = queryGraph.getNodeAccess();
        int[] sourceNodes = RoadNetwork.closestNodes(snappings);
        MultiSourceDijkstra search = MultiSourceDijkstra.run(queryGraph, weighting, sourceNodes,
                false, explored(longestMillis), (node, parentEdge, millis) -> {
                    sites.add(site(nodes.getLon(node), nodes.getLat(node), millis));
                    if (parentEdge >= 0) {
                        // a long road's middle point too, so that the contour follows its bends a little
                        PointList pillars = queryGraph.getEdgeIteratorState(parentEdge, node)
                                .fetchWayGeometry(FetchMode.PILLAR_ONLY);
                        if (!pillars.isEmpty()) {
                            int middle = pillars.size() / 2;
                            sites.add(site(pillars.getLon(middle), pillars.getLat(middle), millis));
                        }
                    }
                });
        return new Tree(queryGraph, search, sourceNodes, sites, snaps.size(), unsnapped);
    }

    private static Coordinate site(double lon, double lat, long millis) {
        Coordinate c = new Coordinate(lon, lat);
        c.setZ(millis);
        return c;
    }

    /**
     * Delaunay triangulation of the sites, z = travel time; a site seen twice keeps its first time (the node's
     * own, settled first). The frame around it gets z = {@link Double#MAX_VALUE}, which the contour builder takes
     * for "never reached". Empty when the sites span no area (a lone node, or all on one line).
     */
    private static Optional<ReadableTriangulation> triangulate(List<Coordinate> sites) {
        Map<Coordinate, Coordinate> unique = new HashMap<>();
        for (Coordinate site : sites) {
            unique.putIfAbsent(site, site); // Coordinate equality is by x and y
        }
        // In x, y order and, failing that, with a tolerance: on the generated benchmark district's grid of roads
        // (many collinear sites) the sites in search order at tolerance 0, as GraphHopper's triangulator takes
        // them, made JTS's point location fail to converge (LocateFailureException).
        List<ConstraintVertex> vertices = unique.values().stream().sorted().map(ConstraintVertex::new).toList();
        try {
            return triangulate(vertices, 0);
        } catch (LocateFailureException e) {
            // a tenth of a metre: sites that close count as one, which JTS needs on nearly degenerate layouts
            return triangulate(vertices, 1e-6);
        }
    }

    private static Optional<ReadableTriangulation> triangulate(List<ConstraintVertex> vertices, double tolerance) {
        ConformingDelaunayTriangulator triangulator = new ConformingDelaunayTriangulator(vertices, tolerance);
        triangulator.setConstraints(new ArrayList<>(), new ArrayList<>());
        triangulator.formInitialDelaunay();
        triangulator.enforceConstraints();
        if (!(triangulator.getConvexHull() instanceof Polygon)) {
            return Optional.empty();
        }
        QuadEdgeSubdivision subdivision = triangulator.getSubdivision();
        for (Object vertex : subdivision.getVertices(true)) {
            if (subdivision.isFrameVertex((Vertex) vertex)) {
                ((Vertex) vertex).setZ(Double.MAX_VALUE);
            }
        }
        return Optional.of(ReadableTriangulation.wrap(subdivision));
    }
}
