package org.caregrid.server.ogc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.caregrid.server.imports.ImportJobs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Recently made tiles by (collection, scope, z/x/y), least recently used first out, each kept for a while
 * with the data generation ({@link DataGeneration}) it was made at, so that {@link Tiles} can tell whether a
 * later write (a new building head, an import, a visit) changed it; the time to live covers what changes
 * with the calendar alone (an assignment that ends at midnight). Size 0 turns it off.
 */
@Component
class TileCache {

    private final int maxTiles;
    private final long ttlNanos;
    private final Map<String, Entry> tiles;
    private final CoverageLayer coverage;

    private record Entry(Cached cached, long madeAt) {
    }

    /** A tile and the data generation it was made at. */
    record Cached(Tiles.Tile tile, long generation) {
    }

    private long stored;

    TileCache(@Value("${caregrid.ogc.tile-cache.max-tiles:20000}") int maxTiles,
              @Value("${caregrid.ogc.tile-cache.ttl-seconds:300}") long ttlSeconds, CoverageLayer coverage) {
        this.coverage = coverage;
        this.maxTiles = maxTiles;
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.tiles = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > TileCache.this.maxTiles;
            }
        };
    }

    synchronized Cached get(String key) {
        Entry e = tiles.get(key);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.madeAt() > ttlNanos) {
            tiles.remove(key);
            return null;
        }
        return e.cached();
    }

    synchronized void put(String key, Tiles.Tile tile, long generation) {
        if (maxTiles > 0) {
            tiles.put(key, new Entry(new Cached(tile, generation), System.nanoTime()));
            stored++;
        }
    }

    /** How many tiles were made and kept since start: a tile served from the cache adds nothing. */
    synchronized long stored() {
        return stored;
    }

    synchronized int size() {
        return tiles.size();
    }

    /** Forgets every tile, and the coverage figures they were made of. */
    synchronized void clear() {
        tiles.clear();
        coverage.forget();
    }

    /** A new road graph: the road tiles were made of the old one. */
    @EventListener
    void roadsStored(org.caregrid.server.routing.RoadEdgeStore.Stored stored) {
        clear();
    }

    @EventListener
    void importFinished(ImportJobs.Finished finished) {
        if (finished.succeeded()) {
            clear();
        }
    }
}
