package org.caregrid.routing;

import com.graphhopper.isochrone.algorithm.ContourBuilder;
import com.graphhopper.isochrone.algorithm.JTSTriangulator;
import com.graphhopper.isochrone.algorithm.ShortestPathTree;
import com.graphhopper.isochrone.algorithm.Triangulator;
import com.graphhopper.routing.querygraph.QueryGraph;
import com.graphhopper.routing.util.TraversalMode;
import com.graphhopper.routing.weighting.Weighting;
import org.locationtech.jts.geom.MultiPolygon;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Isochrone = a time-limited shortest-path tree on the base graph (isochrones need every node within the limit,
 * which CH cannot give), Delaunay-triangulated with each node's travel time as z, then the contour at the limit.
 */
final class IsochroneBuilder {
    private final RoadNetwork network;

    IsochroneBuilder(RoadNetwork network) {
        this.network = network;
    }

    IsochroneResult build(TravelMode mode, Place centre, Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("isochrone time limit must be positive, got " + limit);
        }
        RoadNetwork.Snapping snapping = network.snapOne(mode, centre);
        if (snapping.snap() == null) {
            return new IsochroneResult(centre, mode, limit, Optional.empty(), List.of(snapping.failure()));
        }
        QueryGraph queryGraph = QueryGraph.create(network.hopper().getBaseGraph(), snapping.snap());
        Weighting weighting = queryGraph.wrapWeighting(network.weighting(mode));
        ShortestPathTree tree = new ShortestPathTree(queryGraph, weighting, false, TraversalMode.NODE_BASED);
        double limitMillis = limit.toMillis();
        // Explore a margin beyond the limit so the contour at the limit has nodes on both sides to cut between.
        tree.setTimeLimit(limitMillis + Math.max(limitMillis * 0.15, 120_000));
        Triangulator.Result triangulation = new JTSTriangulator(network.hopper().getRouterConfig())
                .triangulate(snapping.snap(), queryGraph, tree, label -> label.time, 0);
        MultiPolygon area = new ContourBuilder(triangulation.triangulation)
                .computeIsoline(limitMillis, triangulation.seedEdges);
        return new IsochroneResult(centre, mode, limit, Optional.of(area), List.of());
    }
}
