package org.caregrid.server.ogc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.caregrid.server.imports.ImportJobs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Recently made tiles by (collection, scope, z/x/y), least recently used first out, each kept for a while.
 * The key holds the database's data generation ({@link DataGeneration}), so a tile made before any later
 * write (a new building head, an import, a visit) is never served again; the time to live covers what changes
 * with the calendar alone (an assignment that ends at midnight). Size 0 turns it off.
 */
@Component
class TileCache {

    private final int maxTiles;
    private final long ttlNanos;
    private final Map<String, Entry> tiles;
    private final CoverageLayer coverage;

    private record Entry(Tiles.Tile tile, long madeAt) {
    }

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

    synchronized Tiles.Tile get(String key) {
        Entry e = tiles.get(key);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.madeAt() > ttlNanos) {
            tiles.remove(key);
            return null;
        }
        return e.tile();
    }

    synchronized void put(String key, Tiles.Tile tile) {
        if (maxTiles > 0) {
            tiles.put(key, new Entry(tile, System.nanoTime()));
        }
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
