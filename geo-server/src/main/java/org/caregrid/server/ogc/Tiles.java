package org.caregrid.server.ogc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import org.caregrid.server.security.AreaScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Mapbox Vector Tiles of the WebMercatorQuad tile matrix set, made by PostGIS in one query per tile
 * ({@code ST_AsMVT} over {@code ST_AsMVTGeom}), scoped like the items, cached by (collection, scope, tile).
 * Blocking: call through {@code Db.async}.
 */
@Component
class Tiles {

    static final int EXTENT = 4096;
    static final int BUFFER = 64;
    static final int MAX_ZOOM = 22;

    /**
     * One layer named after the collection; integer ids become MVT feature ids, others an {@code id} attribute.
     * Rows whose geometry falls outside the tile (NULL from ST_AsMVTGeom) are skipped by ST_AsMVT itself: a
     * {@code WHERE geom IS NOT NULL} would make PostgreSQL compute every geometry twice.
     */
    static final String TILE = """
            SELECT ST_AsMVT(t, :layer_name, 4096, 'geom'%2$s)
              FROM (SELECT %3$s AS id,
                           ST_AsMVTGeom(ST_Transform(p.geom, 3857), ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom,
                           %4$s
                      FROM (%1$s) p) t
            """;

    /** The tile, with a margin of the MVT buffer, as a WGS84 polygon for the index. */
    static final String TILE_ENVELOPE = "ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => " + ((double) BUFFER / EXTENT)
            + "), 4326)";

    record Tile(byte[] bytes, String etag) {
    }

    private final JdbcClient jdbc;
    private final Features features;
    private final TileCache cache;
    private final DataGeneration generation;

    Tiles(JdbcClient jdbc, Features features, TileCache cache, DataGeneration generation) {
        this.generation = generation;
        this.jdbc = jdbc;
        this.features = features;
        this.cache = cache;
    }

    /** Whether z/x/y names a tile of WebMercatorQuad. */
    static boolean exists(int z, long x, long y) {
        long size = 1L << Math.min(Math.max(z, 0), 30);
        return z >= 0 && z <= MAX_ZOOM && x >= 0 && y >= 0 && x < size && y < size;
    }

    /**
     * The tile from the cache while no write since it was made could have changed it: for a layer that sums
     * up areas, no write at all; for the others, no write inside the tile (with its buffer). An edit in one
     * grid leaves the cached tiles of the others alone.
     */
    Tile tile(Layer layer, AreaScope scope, int z, int x, int y) {
        long now = generation.now();
        String place = layer.id() + "|" + OgcAccess.scopeKey(scope) + "|" + z + "/" + x + "/" + y;
        String key = layer.sumsUpAreas() ? place + "|" + now : place;
        TileCache.Cached cached = cache.get(key);
        if (cached != null && (cached.generation() == now || !layer.sumsUpAreas()
                && !generation.changedSince(cached.generation(), TILE_ENVELOPE, Map.of("z", z, "x", x, "y", y)))) {
            return cached.tile();
        }
        Tile made = make(layer, scope, z, x, y);
        cache.put(key, made, now);
        return made;
    }

    /** The SQL of one tile with its parameters bound: what the benchmark runs bare. */
    static String tileSql(String layerSelect, Layer layer) {
        return TILE.formatted(layerSelect, layer.integerIds() ? ", 'id'" : "",
                layer.integerIds() ? "p.id" : "p.id::text", layer.propertyColumnsSql());
    }

    private Tile make(Layer layer, AreaScope scope, int z, int x, int y) {
        Map<String, Object> params = new HashMap<>();
        String select = features.select(layer, scope, TILE_ENVELOPE, params);
        params.put("layer_name", layer.id());
        params.put("z", z);
        params.put("x", x);
        params.put("y", y);
        String sql = tileSql(select, layer);
        byte[] bytes = jdbc.sql(sql).params(params).query(byte[].class).optional()
                .orElse(new byte[0]);
        return new Tile(bytes, etag(bytes));
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
