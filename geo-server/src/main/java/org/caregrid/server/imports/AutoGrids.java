package org.caregrid.server.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import javax.sql.DataSource;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.springframework.stereotype.Component;

/**
 * Proposes grids for an imported area that has none (docs/imports.md, "Auto-gridding"). The method, kept simple on
 * purpose: arterial roads (highway motorway/trunk/primary/secondary and railways) split the area's extent into blocks;
 * within a block, buildings are clustered by k-means on their entrances with k = households / 400 rounded (at least
 * 1), and the block is divided among its clusters by the Voronoi cells of their centres. A grid therefore never
 * crosses an arterial and aims at 300–500 households; blocks with fewer than 300 stay one grid. Household counts
 * estimated from footprint × levels are counted as given, and the result says how many were estimates. The grids get
 * a placeholder hierarchy (province code 99, which China does not use: 990100000000 → 990101000000 → street
 * 990101001000 → community 990101001001) so that scope and roll-ups work until real areas are imported.
 */
@Component
public class AutoGrids {

    static final String CITY = "990100000000";
    static final String DISTRICT = "990101000000";
    static final String STREET = "990101001000";
    static final String COMMUNITY = "990101001001";

    private static final Set<String> ARTERIALS = Set.of("motorway", "trunk", "primary", "secondary");

    // ST_Split, not ST_Polygonize: a road that dead-ends inside a block splits nothing and is simply ignored
    private static final String BLOCKS = """
            CREATE TEMP TABLE auto_block ON COMMIT DROP AS
            WITH extent AS (SELECT ST_SetSRID(ST_Expand(ST_Extent(footprint)::geometry, 0.0005), 4326) AS geom
                              FROM building),
                 cut AS (SELECT CASE WHEN count(a.geom) = 0 THEN e.geom
                                     ELSE ST_Split(e.geom, ST_Union(ST_Intersection(a.geom, e.geom))) END AS pieces
                           FROM extent e LEFT JOIN auto_arterial a ON ST_Intersects(a.geom, e.geom) GROUP BY e.geom)
            SELECT row_number() OVER () AS id, d.geom
              FROM (SELECT (ST_Dump(ST_CollectionExtract(pieces, 3))).geom FROM cut) d
            """;

    private static final String CLUSTERS = """
            CREATE TEMP TABLE auto_cluster ON COMMIT DROP AS
            WITH placed AS (SELECT b.id, b.entrance, b.households, k.id AS block
                              FROM building b JOIN auto_block k ON ST_Contains(k.geom, b.entrance)
                             WHERE b.households > 0),
                 sized AS (SELECT *, greatest(1, round(sum(households) OVER (PARTITION BY block) / 400.0))::int AS k,
                                  count(*) OVER (PARTITION BY block) AS n FROM placed)
            SELECT block, ST_ClusterKMeans(entrance, least(k, n)::int) OVER (PARTITION BY block) AS cluster,
                   entrance, households FROM sized
            """;

    private static final String CELLS = """
            CREATE TEMP TABLE auto_cell ON COMMIT DROP AS
            WITH centres AS (SELECT block, cluster, ST_Centroid(ST_Collect(entrance)) AS centre,
                                    sum(households) AS households
                               FROM auto_cluster GROUP BY block, cluster),
                 one AS (SELECT block FROM centres GROUP BY block HAVING count(*) = 1),
                 cells AS (SELECT c.block, (ST_Dump(ST_VoronoiPolygons(ST_Collect(c.centre), 0, k.geom))).geom AS cell
                             FROM centres c JOIN auto_block k ON k.id = c.block
                            WHERE c.block NOT IN (SELECT block FROM one) GROUP BY c.block, k.geom)
            SELECT c.block, c.cluster, c.households, k.geom AS geom
              FROM centres c JOIN auto_block k ON k.id = c.block WHERE c.block IN (SELECT block FROM one)
            UNION ALL
            SELECT c.block, c.cluster, c.households, ST_Intersection(v.cell, k.geom)
              FROM centres c JOIN auto_block k ON k.id = c.block
              JOIN cells v ON v.block = c.block AND ST_Contains(v.cell, c.centre)
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

    public record Result(int grids, int blocks, int arterials, long minHouseholds, long maxHouseholds,
                         long estimatedBuildings, long buildings) {
        public String describe() {
            if (grids == 0) {
                return "Grids: the area has grids already (or no buildings); none proposed.";
            }
            return "Proposed " + grids + " grids in " + blocks + " blocks cut by " + arterials + " arterial roads; "
                    + minHouseholds + "–" + maxHouseholds + " households per grid. " + estimatedBuildings + " of "
                    + buildings + " buildings' household counts are estimates (footprint × levels / 90 m²).";
        }
    }

    /** Does nothing when grids exist; otherwise proposes them, with their areas, in one transaction. */
    public Result proposeWhereNone(Path osmFile) throws IOException {
        List<String> arterials = osmFile.getFileName().toString().endsWith(".pbf") ? List.of() : arterials(osmFile);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                try (var rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM grid) OR NOT EXISTS (SELECT 1 FROM building)")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        connection.rollback();
                        return new Result(0, 0, 0, 0, 0, 0, 0);
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
                s.execute(CLUSTERS);
                s.execute(CELLS);
                s.execute(AREAS);
                int grids = s.executeUpdate(GRIDS);
                for (LoadSql.Merge join : LoadSql.SPATIAL_JOINS) {
                    s.executeUpdate(join.sql());
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
                            rs.getLong(4), rs.getLong(5));
                }
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw new LoadException("Could not propose grids: " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new LoadException("Could not propose grids: " + e.getMessage(), e);
        }
    }

    /** The arterial roads of an OSM XML file as WKT lines: one pass for the ways, one for their nodes. */
    static List<String> arterials(Path file) throws IOException {
        Map<Long, long[]> ways = new HashMap<>();
        Set<Long> wanted = new HashSet<>();
        Map<Long, double[]> nodes = new HashMap<>();
        try {
            scan(file, ways, wanted, null);
            scan(file, null, wanted, nodes);
        } catch (XMLStreamException e) {
            throw new IOException("Cannot read the roads of " + file.getFileName() + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>();
        for (long[] refs : ways.values()) {
            StringBuilder line = new StringBuilder("LINESTRING(");
            int points = 0;
            for (long ref : refs) {
                double[] lonLat = nodes.get(ref);
                if (lonLat != null) {
                    line.append(points++ == 0 ? "" : ",").append(lonLat[0]).append(' ').append(lonLat[1]);
                }
            }
            if (points >= 2) {
                lines.add(line.append(')').toString());
            }
        }
        return lines;
    }

    private static void scan(Path file, Map<Long, long[]> ways, Set<Long> wanted, Map<Long, double[]> nodes)
            throws IOException, XMLStreamException {
        try (InputStream in = open(file)) {
            XMLStreamReader xml = XMLInputFactory.newFactory().createXMLStreamReader(in);
            long way = -1;
            List<Long> refs = new ArrayList<>();
            boolean arterial = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "node" -> {
                            if (nodes != null) {
                                long id = Long.parseLong(xml.getAttributeValue(null, "id"));
                                if (wanted.contains(id)) {
                                    nodes.put(id, new double[] {Double.parseDouble(xml.getAttributeValue(null, "lon")),
                                            Double.parseDouble(xml.getAttributeValue(null, "lat"))});
                                }
                            }
                        }
                        case "way" -> {
                            way = Long.parseLong(xml.getAttributeValue(null, "id"));
                            refs.clear();
                            arterial = false;
                        }
                        case "nd" -> refs.add(Long.parseLong(xml.getAttributeValue(null, "ref")));
                        case "tag" -> {
                            String k = xml.getAttributeValue(null, "k");
                            String v = xml.getAttributeValue(null, "v");
                            arterial |= way >= 0 && ("highway".equals(k) && ARTERIALS.contains(v)
                                    || "railway".equals(k) && "rail".equals(v));
                        }
                        case "relation" -> way = -1;
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && "way".equals(xml.getLocalName())) {
                    if (ways != null && arterial) {
                        ways.put(way, refs.stream().mapToLong(Long::longValue).toArray());
                        wanted.addAll(refs);
                    }
                    way = -1;
                }
            }
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new GZIPInputStream(in) : in;
    }
}
