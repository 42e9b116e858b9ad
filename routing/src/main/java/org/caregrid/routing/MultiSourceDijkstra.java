package org.caregrid.routing;

import com.graphhopper.routing.querygraph.QueryGraph;
import com.graphhopper.routing.weighting.Weighting;
import com.graphhopper.util.EdgeExplorer;
import com.graphhopper.util.EdgeIterator;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * One Dijkstra from all facilities at once (each starts at weight 0), on the base graph: when it settles a node,
 * the facility it came from is that node's nearest one. The cost of one single-source search, whatever the number
 * of facilities and people.
 */
final class MultiSourceDijkstra {
    final double[] weight;
    final double[] distance;
    final long[] time;
    /** Index of the facility whose tree reached the node, -1 if none. */
    final int[] origin;

    private MultiSourceDijkstra(int nodes) {
        weight = new double[nodes];
        distance = new double[nodes];
        time = new long[nodes];
        origin = new int[nodes];
        Arrays.fill(weight, Double.POSITIVE_INFINITY);
        Arrays.fill(distance, Double.NaN);
        Arrays.fill(time, -1);
        Arrays.fill(origin, -1);
    }

    /**
     * @param sourceNodes      query-graph node of each facility, -1 for unsnapped ones
     * @param travelToSources  true when the trip ends at the facility: the search then follows edges backwards
     */
    static MultiSourceDijkstra run(QueryGraph graph, Weighting weighting, int[] sourceNodes, boolean travelToSources) {
        MultiSourceDijkstra search = new MultiSourceDijkstra(graph.getNodes());
        record Entry(int node, double weight) {
        }
        PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Double.compare(a.weight, b.weight));
        for (int i = 0; i < sourceNodes.length; i++) {
            int node = sourceNodes[i];
            if (node >= 0 && search.origin[node] < 0) {
                search.weight[node] = 0;
                search.distance[node] = 0;
                search.time[node] = 0;
                search.origin[node] = i;
                queue.add(new Entry(node, 0));
            }
        }
        boolean[] settled = new boolean[graph.getNodes()];
        EdgeExplorer explorer = graph.createEdgeExplorer();
        while (!queue.isEmpty()) {
            Entry entry = queue.poll();
            int node = entry.node();
            if (settled[node]) {
                continue;
            }
            settled[node] = true;
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
                    queue.add(new Entry(adj, candidate));
                }
            }
        }
        return search;
    }
}
