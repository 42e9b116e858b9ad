package org.caregrid.importer;

import java.util.Arrays;

/** Node id → lon/lat in primitive arrays (open addressing): a city extract has millions of nodes. */
final class NodeStore {

    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private double[] lons;
    private double[] lats;
    private int size;

    NodeStore() {
        allocate(1 << 16);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        lons = new double[capacity];
        lats = new double[capacity];
        size = 0;
    }

    private int slot(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & (keys.length - 1);
    }

    void put(long id, double lon, double lat) {
        if ((size + 1) * 2 > keys.length) {
            long[] oldKeys = keys;
            double[] oldLons = lons;
            double[] oldLats = lats;
            allocate(oldKeys.length * 2);
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    put(oldKeys[i], oldLons[i], oldLats[i]);
                }
            }
        }
        int i = slot(id);
        while (keys[i] != EMPTY && keys[i] != id) {
            i = (i + 1) & (keys.length - 1);
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = id;
        lons[i] = lon;
        lats[i] = lat;
    }

    /** The slot holding the node, or -1. */
    int find(long id) {
        int i = slot(id);
        while (keys[i] != EMPTY) {
            if (keys[i] == id) {
                return i;
            }
            i = (i + 1) & (keys.length - 1);
        }
        return -1;
    }

    double lon(int slot) {
        return lons[slot];
    }

    double lat(int slot) {
        return lats[slot];
    }

    int size() {
        return size;
    }
}
