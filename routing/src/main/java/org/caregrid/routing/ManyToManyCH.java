package org.caregrid.routing;

import com.carrotsearch.hppc.LongDoubleHashMap;
import com.carrotsearch.hppc.LongLongHashMap;
import com.graphhopper.routing.querygraph.QueryGraph;
import com.graphhopper.routing.querygraph.QueryRoutingCHGraph;
import com.graphhopper.routing.weighting.Weighting;
import com.graphhopper.storage.RoutingCHEdgeExplorer;
import com.graphhopper.storage.RoutingCHEdgeIterator;
import com.graphhopper.storage.RoutingCHEdgeIteratorState;
import com.graphhopper.storage.RoutingCHGraph;
import com.graphhopper.util.EdgeIteratorState;

import java.util.Arrays;

/**
 * Many-to-many shortest paths on a node-based contraction hierarchy with buckets (Knopp et al. 2007):
 * one backward upward search per target leaves (target, weight) in a bucket at every node it settles;
 * one forward upward search per source meets them, and the best sum over meeting nodes is the s-t weight.
 * That is |S|+|T| small searches instead of |S|·|T| bidirectional ones.
 *
 * <p>Distance and time are carried along the searches. A shortcut only stores its weight, so its distance and time
 * come from unpacking it into original edges once per call (memoised), in the same way GraphHopper sums a path.
 */
final class ManyToManyCH {
    private final QueryRoutingCHGraph graph;
    private final QueryGraph queryGraph;
    private final Weighting weighting;
    private final int baseNodeCount;
    private final ShortcutCosts forwardCosts;
    private final ShortcutCosts backwardCosts;

    // Buckets as linked lists in flat arrays: head[node] -> entry -> next entry.
    private final int[] bucketHead;
    private int[] bucketNext = new int[1024];
    private int[] bucketTarget = new int[1024];
    private double[] bucketWeight = new double[1024];
    private double[] bucketDistance = new double[1024];
    private long[] bucketTime = new long[1024];
    private int bucketSize;

    private final UpwardSearch search;

    ManyToManyCH(RoutingCHGraph chGraph, QueryGraph queryGraph) {
        this.queryGraph = queryGraph;
        this.graph = new QueryRoutingCHGraph(chGraph, queryGraph);
        this.weighting = graph.getWeighting();
        this.baseNodeCount = queryGraph.getBaseGraph().getNodes();
        this.forwardCosts = new ShortcutCosts(false);
        this.backwardCosts = new ShortcutCosts(true);
        this.bucketHead = new int[graph.getNodes()];
        Arrays.fill(bucketHead, -1);
        this.search = new UpwardSearch(graph.getNodes());
    }

    /**
     * @param sourceNodes query-graph nodes of the sources, -1 for a source that is not on the network
     * @return weights, distances, times; unreachable pairs keep +Infinity / NaN / -1
     */
    Result compute(int[] sourceNodes, int[] targetNodes) {
        Result result = new Result(sourceNodes.length, targetNodes.length);
        RoutingCHEdgeExplorer inExplorer = graph.createInEdgeExplorer();
        RoutingCHEdgeExplorer outExplorer = graph.createOutEdgeExplorer();
        for (int t = 0; t < targetNodes.length; t++) {
            if (targetNodes[t] < 0) {
                continue;
            }
            search.run(targetNodes[t], inExplorer, outExplorer, true, backwardCosts);
            for (int i = 0; i < search.settledCount; i++) {
                int node = search.settled[i];
                addToBucket(node, t, search.weight[node], search.distance[node], search.time[node]);
            }
        }
        for (int s = 0; s < sourceNodes.length; s++) {
            if (sourceNodes[s] < 0) {
                continue;
            }
            search.run(sourceNodes[s], outExplorer, inExplorer, false, forwardCosts);
            double[] bestWeight = result.weights[s];
            for (int i = 0; i < search.settledCount; i++) {
                int node = search.settled[i];
                double w = search.weight[node];
                for (int e = bucketHead[node]; e >= 0; e = bucketNext[e]) {
                    int t = bucketTarget[e];
                    double total = w + bucketWeight[e];
                    if (total < bestWeight[t]) {
                        bestWeight[t] = total;
                        result.distances[s][t] = search.distance[node] + bucketDistance[e];
                        result.times[s][t] = search.time[node] + bucketTime[e];
                    }
                }
            }
        }
        return result;
    }

    private void addToBucket(int node, int target, double weight, double distance, long time) {
        if (bucketSize == bucketNext.length) {
            int n = bucketSize * 2;
            bucketNext = Arrays.copyOf(bucketNext, n);
            bucketTarget = Arrays.copyOf(bucketTarget, n);
            bucketWeight = Arrays.copyOf(bucketWeight, n);
            bucketDistance = Arrays.copyOf(bucketDistance, n);
            bucketTime = Arrays.copyOf(bucketTime, n);
        }
        bucketNext[bucketSize] = bucketHead[node];
        bucketTarget[bucketSize] = target;
        bucketWeight[bucketSize] = weight;
        bucketDistance[bucketSize] = distance;
        bucketTime[bucketSize] = time;
        bucketHead[node] = bucketSize++;
    }

    static final class Result {
        final double[][] weights;
        final double[][] distances;
        final long[][] times;

        Result(int sources, int targets) {
            weights = new double[sources][targets];
            distances = new double[sources][targets];
            times = new long[sources][targets];
            for (int i = 0; i < sources; i++) {
                Arrays.fill(weights[i], Double.POSITIVE_INFINITY);
                Arrays.fill(distances[i], Double.NaN);
                Arrays.fill(times[i], TravelMatrix.UNREACHABLE_TIME);
            }
        }
    }

    /** Upward-only Dijkstra over the hierarchy; the arrays are reused between searches and reset lazily. */
    private final class UpwardSearch {
        final double[] weight;
        final double[] distance;
        final long[] time;
        final int[] parentEdge;
        final int[] parentNode;
        final boolean[] done;
        final int[] settled;
        int settledCount;
        final int[] touched;
        int touchedCount;
        final NodeHeap heap;

        UpwardSearch(int nodes) {
            weight = new double[nodes];
            distance = new double[nodes];
            time = new long[nodes];
            parentEdge = new int[nodes];
            parentNode = new int[nodes];
            done = new boolean[nodes];
            settled = new int[nodes];
            touched = new int[nodes];
            heap = new NodeHeap(nodes);
            Arrays.fill(weight, Double.POSITIVE_INFINITY);
        }

        /**
         * @param explorer     edges the search follows (out-edges forward, in-edges backward)
         * @param stallChecker the opposite edges, to stall on demand: a node that a higher node already reaches
         *                     more cheaply is not on any shortest up-down path, so it is neither expanded nor
         *                     used as a meeting node
         */
        void run(int start, RoutingCHEdgeExplorer explorer, RoutingCHEdgeExplorer stallChecker, boolean backward,
                 ShortcutCosts costs) {
            for (int i = 0; i < touchedCount; i++) {
                int n = touched[i];
                weight[n] = Double.POSITIVE_INFINITY;
                done[n] = false;
            }
            touchedCount = 0;
            settledCount = 0;
            heap.clear();

            touch(start, 0, -1, -1);
            heap.add(start, 0);
            while (!heap.isEmpty()) {
                int node = heap.poll();
                if (done[node]) {
                    continue;
                }
                done[node] = true;
                if (canBeStalled(node, stallChecker, backward)) {
                    continue;
                }
                // Distance and time only for settled nodes: one unpacking per tree edge, not per relaxation.
                if (parentEdge[node] < 0) {
                    distance[node] = 0;
                    time[node] = 0;
                } else {
                    int p = parentNode[node];
                    distance[node] = distance[p] + costs.distance(parentEdge[node], node);
                    time[node] = time[p] + costs.time(parentEdge[node], node);
                }
                settled[settledCount++] = node;

                RoutingCHEdgeIterator iter = explorer.setBaseNode(node);
                while (iter.next()) {
                    int adj = iter.getAdjNode();
                    if (done[adj] || !goesUp(node, adj)) {
                        continue;
                    }
                    double w = iter.getWeight(backward);
                    if (Double.isInfinite(w)) {
                        continue;
                    }
                    double candidate = weight[node] + w;
                    if (candidate < weight[adj]) {
                        touch(adj, candidate, iter.getEdge(), node);
                        heap.add(adj, candidate);
                    }
                }
            }
        }

        private boolean canBeStalled(int node, RoutingCHEdgeExplorer stallChecker, boolean backward) {
            if (node >= baseNodeCount) {
                return false;
            }
            RoutingCHEdgeIterator iter = stallChecker.setBaseNode(node);
            while (iter.next()) {
                int higher = iter.getAdjNode();
                if (higher >= baseNodeCount || weight[higher] == Double.POSITIVE_INFINITY
                        || graph.getLevel(higher) <= graph.getLevel(node)) {
                    continue;
                }
                // Forward: higher → node, the in-edge reversed. Backward: node → higher, the out-edge as is.
                double w = iter.getWeight(!backward);
                if (weight[higher] + w < weight[node]) {
                    return true;
                }
            }
            return false;
        }

        private void touch(int node, double w, int edge, int parent) {
            if (weight[node] == Double.POSITIVE_INFINITY && !done[node]) {
                touched[touchedCount++] = node;
            }
            weight[node] = w;
            parentEdge[node] = edge;
            parentNode[node] = parent;
        }
    }

    // Virtual (snap) nodes are always allowed, as in GraphHopper's own CH searches.
    private boolean goesUp(int from, int to) {
        if (from >= baseNodeCount || to >= baseNodeCount) {
            return true;
        }
        return graph.getLevel(from) <= graph.getLevel(to);
    }

    /** Distance and time of a CH edge in one travel direction, unpacked once and remembered. */
    private final class ShortcutCosts {
        private final boolean reverse;
        private final LongDoubleHashMap distances = new LongDoubleHashMap();
        private final LongLongHashMap times = new LongLongHashMap();

        ShortcutCosts(boolean reverse) {
            this.reverse = reverse;
        }

        double distance(int chEdge, int adjNode) {
            long key = key(chEdge, adjNode);
            if (!distances.containsKey(key)) {
                unpack(chEdge, adjNode);
            }
            return distances.get(key);
        }

        long time(int chEdge, int adjNode) {
            long key = key(chEdge, adjNode);
            if (!times.containsKey(key)) {
                unpack(chEdge, adjNode);
            }
            return times.get(key);
        }

        private static long key(int chEdge, int adjNode) {
            return ((long) chEdge << 32) | (adjNode & 0xFFFFFFFFL);
        }

        private void unpack(int chEdge, int adjNode) {
            long key = key(chEdge, adjNode);
            RoutingCHEdgeIteratorState edge = graph.getEdgeIteratorState(chEdge, adjNode);
            double d;
            long t;
            if (!edge.isShortcut()) {
                EdgeIteratorState original = queryGraph.getEdgeIteratorState(edge.getOrigEdge(), adjNode);
                d = original.getDistance();
                t = weighting.calcEdgeMillis(original, reverse);
            } else {
                // The two skipped edges meet in the middle node; find which one touches adjNode.
                RoutingCHEdgeIteratorState second = graph.getEdgeIteratorState(edge.getSkippedEdge2(), adjNode);
                RoutingCHEdgeIteratorState first;
                if (second == null) {
                    second = graph.getEdgeIteratorState(edge.getSkippedEdge1(), adjNode);
                    first = graph.getEdgeIteratorState(edge.getSkippedEdge2(), second.getBaseNode());
                } else {
                    first = graph.getEdgeIteratorState(edge.getSkippedEdge1(), second.getBaseNode());
                }
                d = distance(first.getEdge(), first.getAdjNode()) + distance(second.getEdge(), second.getAdjNode());
                t = time(first.getEdge(), first.getAdjNode()) + time(second.getEdge(), second.getAdjNode());
            }
            distances.put(key, d);
            times.put(key, t);
        }
    }
}
