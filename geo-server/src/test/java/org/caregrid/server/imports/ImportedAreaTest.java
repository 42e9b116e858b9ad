package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The path of real data: import-osm (Monaco), proposed grids, synthetic residents, then demo mode on the same
 * database serves the imported area, not the synthetic district, with the demo log-ins.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "caregrid.mode=test")
@DirtiesContext // its own database: give its connections back for the classes after it
class ImportedAreaTest {

    /**
     * Monaco's grids outside 300–500 households, as measured: 5 blocks hold buildings but fewer than 300 households
     * (7, 54, 70, 168 and 232), each left one grid; no block has 501–599; every larger block splits within range.
     */
    static final long EXCEPTIONS = 5;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "imported_area");
    }

    @Autowired
    ImportJobs jobs;

    @Autowired
    AutoGrids autoGrids;

    @Autowired
    Populate populate;

    @Autowired
    JdbcClient jdbc;

    @Value("${caregrid.db.url}")
    String dbUrl;

    @Value("${caregrid.db.user}")
    String dbUser;

    @Value("${caregrid.db.password}")
    String dbPassword;

    @Test
    void osmAreaGetsProposedGridsThenSyntheticResidentsThenTheDemoServesIt() throws Exception {
        Path monaco = OsmImportTest.sharedData().resolve("osm/monaco.osm.gz");
        assertThat(jobs.run(jobs.create("osm", "monaco.osm.gz", null, "test"), monaco, "monaco.osm.gz",
                new ImportRequest("osm", null, null, null), ImportProgress.NONE).succeeded()).isTrue();

        AutoGrids.Result grids = autoGrids.proposeWhereNone(monaco);
        assertThat(grids.grids()).isPositive();
        assertThat(grids.arterials()).isPositive();
        assertThat(count("SELECT count(*) FROM grid")).isEqualTo(grids.grids());
        assertThat(count("SELECT count(*) FROM building WHERE grid_id IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM building WHERE households_estimated")).isEqualTo(grids.estimatedBuildings());
        List<String> arterials = AutoGrids.arterials(monaco);
        assertThat(arterials).hasSize(grids.arterials());
        System.out.println("Monaco: " + grids.describe());

        // 300–500 households per grid, except where a block cannot be split so (counted by the command)
        long outside = count("""
                SELECT count(*) FROM (SELECT g.id, coalesce(sum(b.households), 0) AS h
                                        FROM grid g LEFT JOIN building b ON b.grid_id = g.id GROUP BY g.id) x
                 WHERE h NOT BETWEEN 300 AND 500""");
        assertThat(outside).isEqualTo(grids.exceptions()).isEqualTo(EXCEPTIONS);
        assertThat(grids.smallBlocks()).isEqualTo(EXCEPTIONS);
        assertThat(grids.unbalanced()).as("grids of splittable blocks all hit 300–500").isZero();
        // no grid touches an arterial, let alone crosses it
        assertThat(jdbc.sql("""
                SELECT count(*) FROM grid g, unnest(string_to_array(:lines, ';')) w
                 WHERE ST_Intersects(g.geom, ST_GeomFromText(w, 4326))""")
                .param("lines", String.join(";", arterials)).query(Long.class).single()).isZero();
        // every building's entrance lies in exactly one grid, the one it was given
        assertThat(count("""
                SELECT count(*) FROM building b
                 WHERE (SELECT count(*) FROM grid g WHERE ST_Intersects(g.geom, b.entrance)) <> 1
                    OR NOT EXISTS (SELECT 1 FROM grid g WHERE g.id = b.grid_id AND ST_Contains(g.geom, b.entrance))""")).isZero();
        // grids partition the area: no two share more than an edge
        assertThat(jdbc.sql("""
                SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
                  FROM grid a JOIN grid b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)""")
                .query(Double.class).single()).isLessThan(0.01);
        assertThat(autoGrids.proposeWhereNone(monaco).grids()).as("grids exist now").isZero();

        Populate.Result populated = populate.run(1);
        long households = count("SELECT sum(households) FROM building WHERE households > 0");
        assertThat(populated.buildings()).isEqualTo(count("SELECT count(*) FROM building WHERE households > 0"));
        assertThat(count("SELECT count(DISTINCT (building_id, unit_id, room)) FROM person")).isEqualTo(households);
        assertThat(count("SELECT count(*) FROM person WHERE NOT is_synthetic OR grid_id IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM key_person")).isPositive();
        assertThat(count("SELECT count(*) FROM volunteer")).isPositive();
        long persons = count("SELECT count(*) FROM person");
        assertThat(populate.run(1).buildings()).as("a second run finds no empty building").isZero();
        assertThat(count("SELECT count(*) FROM person")).isEqualTo(persons);

        long buildings = count("SELECT count(*) FROM building");
        try (var demo = new SpringApplicationBuilder(CaregridApplication.class)
                .run("--spring.main.web-application-type=none", "--caregrid.mode=demo",
                        "--caregrid.home=target/test-home-imported-demo",
                        "--caregrid.db.url=" + dbUrl, "--caregrid.db.user=" + dbUser, "--caregrid.db.password=" + dbPassword)) {
            assertThat(count("SELECT count(*) FROM building")).isEqualTo(buildings);
            assertThat(count("SELECT count(*) FROM building WHERE source = 'demo'")).isZero();
            assertThat(jdbc.sql("SELECT username FROM app_user ORDER BY username").query(String.class).list())
                    .containsExactly("admin", "dispatcher", "gridworker", "planner", "volunteer");
            assertThat(count("SELECT scope_grid_id FROM app_user WHERE username = 'gridworker'"))
                    .isEqualTo(count("SELECT min(id) FROM grid"));
            assertThat(count("""
                    SELECT count(*) FROM app_user u JOIN volunteer v ON v.person_id = u.person_id
                      JOIN role_assignment r ON r.person_id = v.person_id AND r.role = 'responsible'
                     WHERE u.username = 'volunteer'""")).isPositive();
        }
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
