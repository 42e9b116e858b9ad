package org.caregrid.server.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.caregrid.importer.ImportPhases;
import org.caregrid.importer.OsmReader;
import org.springframework.stereotype.Component;

/**
 * Proposes grids for an imported area that has none (docs/imports.md, "Auto-gridding"). Arterials (highway
 * motorway/trunk/primary/secondary/tertiary and railway=rail, not in tunnels) cut the area's extent into blocks; each
 * block's buildings are split by household-weighted recursive bisection into grids of 300–500 households
 * ({@link #partition}); a grid's polygon is the union of its buildings' Voronoi cells clipped to the block, so grids
 * cover the block without overlapping and never touch an arterial. Blocks that cannot be split into 300–500 stay one
 * grid and are counted as exceptions. Estimated household counts (footprint × levels) are counted as given, and the
 * result says how many were estimates. The grids get a placeholder hierarchy (province code 99, which China does not
 * use: 990100000000 → 990101000000 → street 990101001000 → community 990101001001) so that scope and roll-ups work
 * until real areas are imported.
 */
@Component
public class AutoGrids {

    static final String CITY = "990100000000";
    static final String DISTRICT = "990101000000";
    static final String STREET = "990101001000";
    static final String COMMUNITY = "990101001001";

    // tertiary included: a grid worker's round should not have to cross any through road
    private static final Set<String> ARTERIALS = Set.of("motorway", "trunk", "primary", "secondary", "tertiary");

    /** Household bounds of a grid (issue 3). */
    static final int MIN = 300;
    static final int MAX = 500;

    /*
     * Blocks are the extent minus a 1e-6° (~0.1 m) buffer of the arterials. The former ST_Split only cut along lines
     * that cross a piece from edge to edge, so an arterial that ends inside a block (a dead end, or the extract's edge
     * cutting it off) stayed inside the block and its grids; subtracting the buffer leaves a slit instead, so no grid
     * polygon touches an arterial at all.
     */
    private static final String BLOCKS = """
            CREATE TEMP TABLE auto_block ON COMMIT DROP AS
            WITH extent AS (SELECT ST_SetSRID(ST_Expand(ST_Extent(footprint)::geometry, 0.0005), 4326) AS geom
                              FROM building),
                 roads AS (SELECT ST_Union(ST_Buffer(a.geom, 0.000001, 'quad_segs=2')) AS geom
                             FROM auto_arterial a, extent e WHERE ST_Intersects(a.geom, e.geom))
            SELECT row_number() OVER () AS id, d.geom
              FROM (SELECT (ST_Dump(ST_CollectionExtract(CASE WHEN r.geom IS NULL THEN e.geom
                                                              ELSE ST_Difference(e.geom, r.geom) END, 3))).geom
                      FROM extent e, roads r) d
            """;

    // a building belongs to the block holding its entrance; one whose entrance lies in a road slit goes to the
    // nearest block, its site moved onto that block so its Voronoi cell (and so the containment join) finds it
    private static final String MEMBERS = """
            CREATE TEMP TABLE auto_member ON COMMIT DROP AS
            SELECT b.id AS building, k.id AS block, b.households,
                   CASE WHEN ST_Intersects(k.geom, b.entrance) THEN b.entrance
                        ELSE ST_PointOnSurface(ST_Intersection(k.geom, ST_Buffer(b.entrance, 0.00001 + ST_Distance(k.geom, b.entrance)))) END AS site
              FROM building b
              CROSS JOIN LATERAL (SELECT k.id, k.geom FROM auto_block k
                                   ORDER BY k.geom <-> b.entrance, ST_Distance(k.geom, b.entrance), k.id LIMIT 1) k
            """;

    // buildings sharing an entrance point are one site: they cannot be told apart by a Voronoi cell
    private static final String SITES = """
            SELECT block, ST_X(site), ST_Y(site), sum(coalesce(households, 0))
              FROM auto_member GROUP BY block, ST_X(site), ST_Y(site) ORDER BY block, 2, 3
            """;

    private static final String CELLS = """
            CREATE TEMP TABLE auto_cell ON COMMIT DROP AS
            WITH one AS (SELECT block FROM auto_site GROUP BY block HAVING count(*) = 1),
                 cells AS (SELECT s.block, (ST_Dump(ST_VoronoiPolygons(ST_Collect(s.site), 0, k.geom))).geom AS cell
                             FROM auto_site s JOIN auto_block k ON k.id = s.block
                            WHERE s.block NOT IN (SELECT block FROM one) GROUP BY s.block, k.geom),
                 pieces AS (SELECT s.block, s.grid, k.geom FROM auto_site s JOIN auto_block k ON k.id = s.block
                             WHERE s.block IN (SELECT block FROM one)
                            UNION ALL
                            SELECT s.block, s.grid, ST_Intersection(v.cell, k.geom)
                              FROM cells v JOIN auto_site s ON s.block = v.block AND ST_Intersects(v.cell, s.site)
                              JOIN auto_block k ON k.id = v.block)
            SELECT block, grid, ST_UnaryUnion(ST_Collect(geom)) AS geom FROM pieces GROUP BY block, grid
            """;

    private static final String AREAS = """
            INSERT INTO admin_area (code, level, name, parent_code, geom)
            SELECT * FROM (VALUES ('990100000000', 'city', '导入区域 (imported area)', NULL::char(12)),
                                  ('990101000000', 'district', '导入区 (imported district)', '990100000000'),
                                  ('990101001000', 'street', '导入街道 (imported street)', '990101000000'),
                                  ('990101001001', 'community', '导入社区 (imported community)', '990101001000')) v,
                   LATERAL (SELECT CASE WHEN v.column2 IN ('street', 'community') THEN ST_Multi(ST_Union(geom)) END
                              FROM auto_block) g
            ON CONFLICT (code) DO NOTHING
            """;

    private static final String GRIDS = """
            INSERT INTO grid (code, name, community_code, geom)
            SELECT '990101001001-' || lpad(n::text, 3, '0'), '自动网格 ' || n || ' (proposed)', '990101001001',
                   ST_Multi(geom)
              FROM (SELECT row_number() OVER (ORDER BY ST_YMax(geom) DESC, ST_XMin(geom)) AS n,
                           ST_CollectionExtract(ST_MakeValid(geom), 3) AS geom
                      FROM auto_cell WHERE NOT ST_IsEmpty(geom)) c
            """;

    private final DataSource dataSource;

    AutoGrids(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What was proposed. Exceptions to 300–500 households per grid: {@code smallBlocks} blocks under 300 households
     * (each one grid: merging across an arterial would break the other rule), {@code between} blocks of 501–599
     * (no split of such a block gives parts of 300–500, so it stays one grid), {@code unbalanced} grids of larger
     * blocks that missed the range because single buildings are too big to cut at the right sums.
     */
    public record Result(int grids, int blocks, int arterials, long minHouseholds, long maxHouseholds,
                         long estimatedBuildings, long buildings, int smallBlocks, int between, int unbalanced) {
        public int exceptions() {
            return smallBlocks + between + unbalanced;
        }

        public String describe() {
            if (grids == 0) {
                return "Grids: the area has grids already (or no buildings); none proposed.";
            }
            return "Proposed " + grids + " grids in " + blocks + " blocks cut by " + arterials + " arterial roads; "
                    + minHouseholds + "–" + maxHouseholds + " households per grid; " + (grids - exceptions())
                    + " grids hold 300–500, exceptions: " + smallBlocks + " blocks under 300 households (one grid each), "
                    + between + " blocks of 501–599 (cannot be split into 300–500; one grid each), " + unbalanced
                    + " grids unbalanced by large buildings. " + estimatedBuildings + " of " + buildings
                    + " buildings' household counts are estimates (footprint × levels / 90 m²).";
        }
    }

    /** A building entrance (or several at one point) with its households. */
    record Site(double x, double y, long households) { }

    private static final class Exceptions {
        int smallBlocks;
        int between;
        int unbalanced;

        void count(List<Site> block, List<List<Site>> parts) {
            long total = sum(block);
            if (total < MIN) {
                smallBlocks++;
            } else if (total > MAX && total < 2 * MIN) {
                between++;
            } else {
                for (List<Site> part : parts) {
                    long h = sum(part);
                    unbalanced += h < MIN || h > MAX ? 1 : 0;
                }
            }
        }
    }

    static long sum(List<Site> sites) {
        long total = 0;
        for (Site site : sites) {
            total += site.households();
        }
        return total;
    }

    /**
     * Splits one block's sites into grids of 300–500 households by recursive bisection: a block of H households gets
     * k grids, the k nearest H/400 that keeps H/k within 300–500 (none exists for H < 300 or 501–599: one grid);
     * each step cuts the sites, ordered along the block's longer axis (the other if that fails), at the household sum
     * closest to H·k₁/k whose both sides can still be split into k₁ and k − k₁ grids of 300–500. Straight cuts keep
     * grids compact; the result is deterministic.
     */
    static List<List<Site>> partition(List<Site> sites) {
        long total = sum(sites);
        int k = 1;
        if (total >= 2 * MIN) {
            long low = (total + MAX - 1) / MAX;
            long high = total / MIN;
            k = (int) Math.max(low, Math.min(high, Math.round(total / 400.0)));
        }
        List<List<Site>> parts = new ArrayList<>();
        bisect(new ArrayList<>(sites), k, parts);
        return parts;
    }

    private static void bisect(List<Site> sites, int k, List<List<Site>> parts) {
        if (k <= 1 || sites.size() <= 1) {
            parts.add(sites);
            return;
        }
        int k1 = k / 2;
        int k2 = k - k1;
        long total = sum(sites);
        double scale = Math.cos(Math.toRadians(sites.get(0).y())); // degrees of longitude are shorter
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Site site : sites) {
            minX = Math.min(minX, site.x());
            maxX = Math.max(maxX, site.x());
            minY = Math.min(minY, site.y());
            maxY = Math.max(maxY, site.y());
        }
        boolean xFirst = (maxX - minX) * scale >= maxY - minY;
        double target = (double) total * k1 / k;
        Cut best = null;
        for (boolean byX : new boolean[] {xFirst, !xFirst}) {
            List<Site> ordered = new ArrayList<>(sites);
            ordered.sort(byX ? java.util.Comparator.comparingDouble(Site::x).thenComparingDouble(Site::y)
                    : java.util.Comparator.comparingDouble(Site::y).thenComparingDouble(Site::x));
            long left = 0;
            for (int i = 1; i < ordered.size(); i++) {
                left += ordered.get(i - 1).households();
                boolean feasible = left >= (long) MIN * k1 && left <= (long) MAX * k1
                        && total - left >= (long) MIN * k2 && total - left <= (long) MAX * k2;
                double miss = Math.abs(left - target);
                Cut cut = new Cut(ordered, i, feasible, miss);
                if (best == null || cut.better(best)) {
                    best = cut;
                }
            }
            if (best.feasible()) {
                break; // the longer axis wins when it can
            }
        }
        bisect(new ArrayList<>(best.ordered().subList(0, best.at())), k1, parts);
        bisect(new ArrayList<>(best.ordered().subList(best.at(), best.ordered().size())), k2, parts);
    }

    private record Cut(List<Site> ordered, int at, boolean feasible, double miss) {
        boolean better(Cut other) {
            return feasible != other.feasible ? feasible : miss < other.miss;
        }
    }

    /** Does nothing when grids exist; otherwise proposes them, with their areas, in one transaction. */
    public Result proposeWhereNone(Path osmFile) throws IOException {
        return proposeWhereNone(osmFile, ImportPhases.NONE);
    }

    /** As {@link #proposeWhereNone(Path)}, booking its steps to {@code phases} (the import benchmark prints them). */
    public Result proposeWhereNone(Path osmFile, ImportPhases phases) throws IOException {
        phases.restart();
        List<String> arterials = arterials(osmFile);
        phases.mark("grids.arterials");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                try (var rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM grid) OR NOT EXISTS (SELECT 1 FROM building)")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        connection.rollback();
                        return new Result(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                    }
                }
                s.execute("CREATE TEMP TABLE auto_arterial (geom geometry(LineString, 4326)) ON COMMIT DROP");
                try (var insert = connection.prepareStatement("INSERT INTO auto_arterial VALUES (ST_GeomFromText(?, 4326))")) {
                    for (String line : arterials) {
                        insert.setString(1, line);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                s.execute(BLOCKS);
                phases.mark("grids.blocks");
                s.execute(MEMBERS);
                phases.mark("grids.members");
                Map<Long, List<Site>> blocks = new java.util.TreeMap<>();
                try (var rs = s.executeQuery(SITES)) {
                    while (rs.next()) {
                        blocks.computeIfAbsent(rs.getLong(1), b -> new ArrayList<>())
                                .add(new Site(rs.getDouble(2), rs.getDouble(3), rs.getLong(4)));
                    }
                }
                s.execute("CREATE TEMP TABLE auto_site (block bigint, grid int, site geometry(Point, 4326)) ON COMMIT DROP");
                Exceptions exceptions = new Exceptions();
                try (var insert = connection.prepareStatement(
                        "INSERT INTO auto_site VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))")) {
                    int grid = 0;
                    for (var block : blocks.entrySet()) {
                        List<List<Site>> parts = partition(block.getValue());
                        exceptions.count(block.getValue(), parts);
                        for (List<Site> part : parts) {
                            grid++;
                            for (Site site : part) {
                                insert.setLong(1, block.getKey());
                                insert.setInt(2, grid);
                                insert.setDouble(3, site.x());
                                insert.setDouble(4, site.y());
                                insert.addBatch();
                            }
                        }
                    }
                    insert.executeBatch();
                }
                s.execute("CREATE INDEX ON auto_site USING gist (site)");
                phases.mark("grids.split");
                s.execute(CELLS);
                phases.mark("grids.cells");
                s.execute(AREAS);
                int grids = s.executeUpdate(GRIDS);
                phases.mark("grids.insert");
                for (LoadSql.Merge join : LoadSql.SPATIAL_JOINS) {
                    s.executeUpdate(join.sql());
                    phases.mark("grids.join." + join.table());
                }
                Result result;
                try (var rs = s.executeQuery("""
                        SELECT (SELECT count(*) FROM auto_block),
                               (SELECT coalesce(min(h), 0) FROM (SELECT sum(households) AS h FROM building GROUP BY grid_id) x),
                               (SELECT coalesce(max(h), 0) FROM (SELECT sum(households) AS h FROM building GROUP BY grid_id) x),
                               (SELECT count(*) FILTER (WHERE households_estimated) FROM building),
                               (SELECT count(*) FROM building)""")) {
                    rs.next();
                    result = new Result(grids, rs.getInt(1), arterials.size(), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5), exceptions.smallBlocks, exceptions.between,
                            exceptions.unbalanced);
                }
                connection.commit();
                phases.mark("grids.commit");
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw new LoadException("Could not propose grids: " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new LoadException("Could not propose grids: " + e.getMessage(), e);
        }
    }

    /** Arterials divide blocks: main roads and railways, except in tunnels (most of Monaco's railway and trunk). */
    static boolean arterial(Map<String, String> tags) {
        String highway = tags.get("highway");
        String tunnel = tags.get("tunnel");
        return (highway != null && ARTERIALS.contains(highway) || "rail".equals(tags.get("railway")))
                && (tunnel == null || "no".equals(tunnel));
    }

    /**
     * The arterial roads of an OSM file (XML, gzipped XML or PBF) as WKT lines, read by data-import's hardened OSM
     * reader (a file with a DTD is refused before anything is fetched).
     */
    static List<String> arterials(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (double[][] points : OsmReader.wayLines(file, AutoGrids::arterial)) {
            if (points.length >= 2) {
                StringBuilder line = new StringBuilder("LINESTRING(");
                for (int i = 0; i < points.length; i++) {
                    line.append(i == 0 ? "" : ",").append(points[i][0]).append(' ').append(points[i][1]);
                }
                lines.add(line.append(')').toString());
            }
        }
        return lines;
    }
}
