package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A hand-built area through the whole path (OSM XML → import → proposed grids in PostGIS): a primary road runs
 * north–south; west of it six buildings of 100 flats in a row, east of it two. The answer is known exactly: the
 * west block (600) is cut in the middle into 300 + 300, the east block (200) stays one grid, the one exception.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "caregrid.mode=test")
@DirtiesContext
class SyntheticGridTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "synthetic_grid");
    }

    @Autowired
    ImportJobs jobs;

    @Autowired
    AutoGrids autoGrids;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    @Test
    void aRoadSplitsTwoBlocksAndTheWestBlockIsCutInTheMiddle() throws Exception {
        StringBuilder osm = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n");
        StringBuilder ways = new StringBuilder();
        double[] west = {104.0600, 104.0603, 104.0606, 104.0609, 104.0612, 104.0615};
        double[] east = {104.0625, 104.0628};
        double[] lons = new double[8];
        System.arraycopy(west, 0, lons, 0, 6);
        System.arraycopy(east, 0, lons, 6, 2);
        long node = 1;
        for (int b = 0; b < lons.length; b++) {
            double x = lons[b];
            long first = node;
            for (double[] corner : new double[][] {{x, 30.6400}, {x + 0.0002, 30.6400}, {x + 0.0002, 30.6402}, {x, 30.6402}}) {
                osm.append("  <node id=\"").append(node++).append("\" lat=\"").append(corner[1]).append("\" lon=\"")
                        .append(corner[0]).append("\"/>\n");
            }
            ways.append("  <way id=\"").append(101 + b).append("\">");
            for (long n = first; n < first + 4; n++) {
                ways.append("<nd ref=\"").append(n).append("\"/>");
            }
            ways.append("<nd ref=\"").append(first).append("\"/>")
                    .append("<tag k=\"building\" v=\"residential\"/><tag k=\"building:flats\" v=\"100\"/></way>\n");
        }
        osm.append("  <node id=\"900\" lat=\"30.6380\" lon=\"104.0620\"/>\n  <node id=\"901\" lat=\"30.6440\" lon=\"104.0620\"/>\n");
        osm.append(ways).append("  <way id=\"200\"><nd ref=\"900\"/><nd ref=\"901\"/><tag k=\"highway\" v=\"primary\"/></way>\n");
        osm.append("</osm>\n");
        Path file = dir.resolve("synthetic.osm");
        Files.writeString(file, osm, StandardCharsets.UTF_8);

        assertThat(jobs.run(jobs.create("osm", "synthetic.osm", null, "test"), file, "synthetic.osm",
                new ImportRequest("osm", null, null, null), ImportProgress.NONE).succeeded()).isTrue();
        AutoGrids.Result result = autoGrids.proposeWhereNone(file);

        assertThat(result.arterials()).isEqualTo(1);
        assertThat(result.blocks()).isEqualTo(2);
        assertThat(result.grids()).isEqualTo(3);
        assertThat(result.smallBlocks()).isEqualTo(1);
        assertThat(result.between() + result.unbalanced()).isZero();
        assertThat(result.estimatedBuildings()).isZero();
        assertThat(jdbc.sql("""
                SELECT sum(households) || ':' || string_agg(external_id, ',' ORDER BY external_id)
                  FROM building GROUP BY grid_id ORDER BY 1""").query(String.class).list())
                .containsExactly("200:osm:way/107,osm:way/108", "300:osm:way/101,osm:way/102,osm:way/103",
                        "300:osm:way/104,osm:way/105,osm:way/106");
        assertThat(jdbc.sql("""
                SELECT count(*) FROM grid
                 WHERE ST_Intersects(geom, ST_GeomFromText('LINESTRING(104.0620 30.6380, 104.0620 30.6440)', 4326))""")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("""
                SELECT count(*) FROM building b
                 WHERE (SELECT count(*) FROM grid g WHERE ST_Intersects(g.geom, b.entrance)) <> 1""")
                .query(Long.class).single()).isZero();
    }
}
