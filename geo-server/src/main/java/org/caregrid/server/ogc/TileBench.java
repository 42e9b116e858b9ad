package org.caregrid.server.ogc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.caregrid.server.config.MachineLoad;
import org.caregrid.server.security.AreaScope;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What {@code caregrid bench tiles} measures, on a loaded district with the tile cache off: building tiles
 * at z12–z16 made the server's way beside the same ST_AsMVT SQL run bare over JDBC and a geometry-only tile
 * (the floor); then items pages of 1 000 buildings beside a plain SELECT of the same rows.
 */
public final class TileBench {

    private static final String GEOMETRY_ONLY_TILE = """
            SELECT ST_AsMVT(t, 'buildings', 4096, 'geom', 'id')
              FROM (SELECT b.id, ST_AsMVTGeom(ST_Transform(coalesce(b.footprint, b.entrance), 3857),
                                              ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom
                      FROM building b
                     WHERE b.entrance && %1$s OR b.footprint && %1$s) t
            """;

    private static final String PLAIN_PAGE = """
            SELECT b.id, b.name, b.households, b.grid_id, ST_AsGeoJSON(coalesce(b.footprint, b.entrance), 7) AS geom
              FROM building b ORDER BY b.id LIMIT 1000 OFFSET :offset
            """;

    private TileBench() {
    }

    /** Runs the benchmark; prints one line per zoom and a SUMMARY line. */
    public static int run(ApplicationContext context, int tilesPerZoom, int pages, long seed) {
        Tiles tiles = context.getBean(Tiles.class);
        Features features = context.getBean(Features.class);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        AreaScope everywhere = AreaScope.everywhere();
        Random random = new Random(seed);
        long buildings = jdbc.sql("SELECT count(*) FROM building").query(Long.class).single();
        List<double[]> entrances = jdbc.sql("SELECT ST_X(entrance) AS lon, ST_Y(entrance) AS lat FROM building "
                        + "ORDER BY md5(id::text || :seed) LIMIT :n")
                .param("seed", String.valueOf(seed)).param("n", tilesPerZoom * 5)
                .query((rs, n) -> new double[] {rs.getDouble("lon"), rs.getDouble("lat")}).list();
        System.out.printf(Locale.ROOT, "Buildings: %,d; %d tiles per zoom around random buildings; load %s%n",
                buildings, tilesPerZoom, MachineLoad.now());
        StringBuilder summary = new StringBuilder();
        for (int z = 12; z <= 16; z++) {
            List<Double> served = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            long bytes = 0;
            for (int i = -2; i < tilesPerZoom; i++) {
                double[] p = entrances.get(random.nextInt(entrances.size()));
                int x = tileX(p[0], z);
                int y = tileY(p[1], z);
                long start = System.nanoTime();
                Tiles.Tile tile = tiles.tile(Layer.BUILDINGS, everywhere, z, x, y);
                double servedMs = (System.nanoTime() - start) / 1e6;

                Map<String, Object> params = new HashMap<>(Map.of("z", z, "x", x, "y", y, "layer_name", "buildings"));
                String sql = Tiles.tileSql(features.select(Layer.BUILDINGS, everywhere, Tiles.TILE_ENVELOPE, params),
                        Layer.BUILDINGS);
                start = System.nanoTime();
                jdbc.sql(sql).params(params).query(byte[].class).optional();
                double bareMs = (System.nanoTime() - start) / 1e6;

                start = System.nanoTime();
                Map<String, Object> tileParams = Map.of("z", z, "x", x, "y", y);
                jdbc.sql(GEOMETRY_ONLY_TILE.formatted(Tiles.TILE_ENVELOPE)).params(tileParams).query(byte[].class).optional();
                double floorMs = (System.nanoTime() - start) / 1e6;
                if (i >= 0) {
                    served.add(servedMs);
                    bare.add(bareMs);
                    floor.add(floorMs);
                    bytes += tile.bytes().length;
                }
            }
            System.out.printf(Locale.ROOT, "z%d  served p50 %7.1f ms p95 %7.1f ms | same SQL bare p50 %7.1f ms p95 %7.1f ms"
                            + " | geometry-only p50 %7.1f ms p95 %7.1f ms | %,d bytes a tile%n", z,
                    percentile(served, 50), percentile(served, 95), percentile(bare, 50), percentile(bare, 95),
                    percentile(floor, 50), percentile(floor, 95), bytes / tilesPerZoom);
            summary.append(String.format(Locale.ROOT, " z%d %.1f/%.1f ms (bare %.1f/%.1f)", z, percentile(served, 50),
                    percentile(served, 95), percentile(bare, 50), percentile(bare, 95)));
        }

        List<Double> items = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = -2; i < pages; i++) {
            long offset = buildings <= 1000 ? 0 : (long) random.nextInt((int) Math.min(Integer.MAX_VALUE, buildings - 1000));
            long start = System.nanoTime();
            features.page(new Features.Query(Layer.BUILDINGS, everywhere, null, Map.of(), 1000, offset, OgcCrs.CRS84, null));
            double itemsMs = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            jdbc.sql(PLAIN_PAGE).param("offset", offset).query((rs, n) -> rs.getString("geom")).list();
            double plainMs = (System.nanoTime() - start) / 1e6;
            if (i >= 0) {
                items.add(itemsMs);
                plain.add(plainMs);
            }
        }
        System.out.printf(Locale.ROOT, "items, pages of 1 000 buildings: p50 %.1f ms p95 %.1f ms | plain SELECT p50 %.1f ms "
                + "p95 %.1f ms%n", percentile(items, 50), percentile(items, 95), percentile(plain, 50), percentile(plain, 95));
        System.out.printf(Locale.ROOT, "SUMMARY tiles (p50/p95)%s; items of 1000 p50 %.1f ms vs plain %.1f ms; load %s%n",
                summary, percentile(items, 50), percentile(plain, 50), MachineLoad.now());
        return 0;
    }

    static int tileX(double lon, int z) {
        return (int) Math.floor((lon + 180) / 360 * (1 << z));
    }

    static int tileY(double lat, int z) {
        double r = Math.toRadians(lat);
        return (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * (1 << z));
    }


    /** Nearest-rank percentile. */
    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
