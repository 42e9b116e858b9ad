package org.caregrid.routing;

import java.util.Arrays;

/**
 * A binary min-heap of (node, weight) in two primitive arrays: no object per label, and entries are never removed
 * but popped (a caller skips stale ones). It sifts as {@link java.util.PriorityQueue} with {@link Double#compare}
 * does (same comparisons, same order of equal weights), so MultiSourceDijkstra's ties between two sources' trees go
 * as they did when it used one.
 */
final class NodeHeap {
    private int[] nodes;
    private double[] weights;
    private int size;

    NodeHeap(int capacity) {
        nodes = new int[Math.max(16, capacity)];
        weights = new double[nodes.length];
    }

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    double topWeight() {
        return weights[0];
    }

    void add(int node, double weight) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
            weights = Arrays.copyOf(weights, size * 2);
        }
        int k = size++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (Double.compare(weight, weights[parent]) >= 0) {
                break;
            }
            nodes[k] = nodes[parent];
            weights[k] = weights[parent];
            k = parent;
        }
        nodes[k] = node;
        weights[k] = weight;
    }

    int poll() {
        int result = nodes[0];
        int n = --size;
        if (n > 0) {
            int node = nodes[n];
            double weight = weights[n];
            int k = 0;
            int half = n >>> 1;
            while (k < half) {
                int child = 2 * k + 1;
                int right = child + 1;
                if (right < n && Double.compare(weights[child], weights[right]) > 0) {
                    child = right;
                }
                if (Double.compare(weight, weights[child]) <= 0) {
                    break;
                }
                nodes[k] = nodes[child];
                weights[k] = weights[child];
                k = child;
            }
            nodes[k] = node;
            weights[k] = weight;
        }
        return result;
    }
}
