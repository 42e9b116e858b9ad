package org.caregrid.routing;

import com.graphhopper.routing.querygraph.QueryGraph;
import com.graphhopper.routing.weighting.Weighting;
import com.graphhopper.util.EdgeExplorer;
import com.graphhopper.util.EdgeIterator;

import java.util.Arrays;

/**
 * One Dijkstra from all sources at once (each starts at weight 0), on the base graph: when it settles a node,
 * the source it came from is that node's nearest one. The cost of one single-source search, whatever the number
 * of sources. It serves the nearest-facility search and, with a time limit, the isochrones and service areas.
 *
 * <p>Labels are ordered by the mode's weight and carry the time along that path, as GraphHopper's
 * {@code ShortestPathTree} does; with a time limit, a node whose best (by weight) path takes longer is neither
 * settled nor expanded, again as there. With one source this is GraphHopper's node-based shortest-path tree.
 */
final class MultiSourceDijkstra {
    final double[] weight;
    final double[] distance;
    final long[] time;
    /** Index of the source whose tree reached the node, -1 if none. */
    final int[] origin;
    /** Whether the node was settled (reached within the time limit, if any). */
    final boolean[] settled;

    /** Told of every node as it is settled, in order of weight. */
    interface Visitor {
        /** @param parentEdge the query-graph edge the node was reached by, -1 for a source */
        void settled(int node, int parentEdge, long timeMillis);
    }

    private MultiSourceDijkstra(int nodes) {
        weight = new double[nodes];
        distance = new double[nodes];
        time = new long[nodes];
        origin = new int[nodes];
        settled = new boolean[nodes];
        Arrays.fill(weight, Double.POSITIVE_INFINITY);
        Arrays.fill(distance, Double.NaN);
        Arrays.fill(time, -1);
        Arrays.fill(origin, -1);
    }

    /**
     * @param sourceNodes      query-graph node of each source, -1 for unsnapped ones
     * @param travelToSources  true when the trip ends at the source: the search then follows edges backwards
     */
    static MultiSourceDijkstra run(QueryGraph graph, Weighting weighting, int[] sourceNodes, boolean travelToSources) {
        return run(graph, weighting, sourceNodes, travelToSources, Long.MAX_VALUE, (node, edge, millis) -> { });
    }

    /** As above, settling only the nodes whose best path takes at most {@code timeLimitMillis}. */
    static MultiSourceDijkstra run(QueryGraph graph, Weighting weighting, int[] sourceNodes, boolean travelToSources,
                                   long timeLimitMillis, Visitor visitor) {
        MultiSourceDijkstra search = new MultiSourceDijkstra(graph.getNodes());
        int[] parentEdge = new int[graph.getNodes()];
        NodeHeap queue = new NodeHeap(sourceNodes.length);
        for (int i = 0; i < sourceNodes.length; i++) {
            int node = sourceNodes[i];
            if (node >= 0 && search.origin[node] < 0) {
                search.weight[node] = 0;
                search.distance[node] = 0;
                search.time[node] = 0;
                search.origin[node] = i;
                parentEdge[node] = -1;
                queue.add(node, 0);
            }
        }
        boolean[] settled = search.settled;
        EdgeExplorer explorer = graph.createEdgeExplorer();
        while (!queue.isEmpty()) {
            double entryWeight = queue.topWeight();
            int node = queue.poll();
            // stale: a lighter label replaced this one (and, over the time limit, was never queued)
            if (settled[node] || entryWeight > search.weight[node]) {
                continue;
            }
            settled[node] = true;
            visitor.settled(node, parentEdge[node], search.time[node]);
            EdgeIterator iter = explorer.setBaseNode(node);
            while (iter.next()) {
                int adj = iter.getAdjNode();
                if (settled[adj]) {
                    continue;
                }
                // iter runs node→adj; a trip toward the sources runs adj→node, i.e. the edge reversed.
                double w = weighting.calcEdgeWeight(iter, travelToSources);
                if (Double.isInfinite(w)) {
                    continue;
                }
                double candidate = search.weight[node] + w;
                if (candidate < search.weight[adj]) {
                    search.weight[adj] = candidate;
                    search.distance[adj] = search.distance[node] + iter.getDistance();
                    search.time[adj] = search.time[node] + weighting.calcEdgeMillis(iter, travelToSources);
                    search.origin[adj] = search.origin[node];
                    parentEdge[adj] = iter.getEdge();
                    if (search.time[adj] <= timeLimitMillis) {
                        queue.add(adj, candidate);
                    }
                }
            }
        }
        return search;
    }
}
