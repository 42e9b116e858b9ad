package org.caregrid.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;


import org.caregrid.server.CaregridApplication;
import org.caregrid.server.security.DemoPasswords;
import org.caregrid.server.security.DemoPasswords.DemoPasswordStillSetException;
import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.importer.demo.PopulationCounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.caregrid.server.support.TestDatabase;

/** {@code demo} mode on an empty database: the district and the five log-ins; WebMapBrowserTest uses them in a browser. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=demo")
class DemoModeTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "demo_mode");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DemoPasswords demoPasswords;

    @Value("${caregrid.home}")
    String home;

    @Value("${caregrid.db.url}")
    String dbUrl;

    @Value("${caregrid.db.user}")
    String dbUser;

    @Value("${caregrid.db.password}")
    String dbPassword;

    @Test
    void loadsTheGeneratedDistrictWithTheCountsTheGeneratorReports() {
        DemoDistrict district = DemoDistrictGenerator.generate(DemoSetup.DEMO_SEED, DemoSetup.DEMO_RESIDENTS);
        PopulationCounts population = district.countPopulation();
        assertThat(count("SELECT count(*) FROM admin_area")).isEqualTo(district.adminAreas().size());
        assertThat(count("SELECT count(*) FROM grid")).isEqualTo(district.grids().size());
        assertThat(count("SELECT count(*) FROM compound")).isEqualTo(district.compounds().size());
        assertThat(count("SELECT count(*) FROM building")).isEqualTo(district.buildings().size());
        assertThat(count("SELECT count(*) FROM unit")).isEqualTo(district.units().size());
        assertThat(count("SELECT count(*) FROM facility")).isEqualTo(district.facilities().size());
        assertThat(count("SELECT count(*) FROM micro_organisation")).isEqualTo(district.microOrganisations().size());
        assertThat(count("SELECT count(*) FROM person")).isEqualTo(population.persons());
        assertThat(count("SELECT count(*) FROM key_person")).isEqualTo(population.keyPersons());
        assertThat(count("SELECT count(*) FROM volunteer")).isEqualTo(population.volunteers());
        assertThat(count("SELECT count(*) FROM visit")).isEqualTo(population.visits());
        assertThat(count("SELECT count(*) FROM delivery_request")).isEqualTo(population.pendingDeliveryRequests());
        assertThat(count("SELECT count(*) FROM role_assignment WHERE role = 'building_head'"))
                .isEqualTo(population.buildingHeads());
        assertThat(count("SELECT count(*) FROM role_assignment WHERE role = 'unit_head'"))
                .isEqualTo(population.unitHeads());
        assertThat(population.persons()).as("demo scale").isBetween(25_000L, 35_000L);
        assertThat(demoPasswords.usersWithDemoPassword())
                .containsExactly("admin", "dispatcher", "gridworker", "planner", "volunteer");
    }

    @Test
    void everyBuildingFindsItsGridAndCommunityByItsEntrance() {
        DemoDistrict district = DemoDistrictGenerator.generate(DemoSetup.DEMO_SEED, DemoSetup.DEMO_RESIDENTS);
        Map<String, String> gridOf = jdbc.sql("""
                        SELECT b.external_id, g.code FROM building b JOIN grid g ON g.id = b.grid_id
                         WHERE b.area_code = g.community_code""")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(gridOf).hasSize(district.buildings().size());
        district.buildings().forEach(b -> assertThat(gridOf.get(b.externalId())).as(b.externalId())
                .isEqualTo(district.gridCodeOf(b)));
        assertThat(count("SELECT count(*) FROM person WHERE grid_id IS NULL OR building_id IS NULL")).isZero();
    }

    @Test
    void theVolunteerLogInLooksAfterKeyPersonsAndTheRoadNetworkIsWritten() throws Exception {
        assertThat(count("""
                SELECT count(*) FROM role_assignment r JOIN app_user u ON u.person_id = r.person_id
                 WHERE u.username = 'volunteer' AND r.role = 'responsible'""")).isPositive();
        assertThat(count("""
                SELECT count(*) FROM app_user u JOIN volunteer v ON v.person_id = u.person_id
                 WHERE u.username = 'volunteer'""")).isEqualTo(1);
        // a delivery-squad member outside the reserve, in the dispatcher's street: a dispatcher can plan for them
        assertThat(count("""
                SELECT count(*) FROM app_user u JOIN volunteer v ON v.person_id = u.person_id
                  JOIN person p ON p.id = v.person_id, app_user d
                 WHERE u.username = 'volunteer' AND 'medicine_delivery' = ANY (v.teams) AND NOT v.is_reserve
                   AND d.username = 'dispatcher' AND p.area_code LIKE rtrim(d.scope_area_code, '0') || '%'""")).isEqualTo(1);
        Path roads = Path.of(home, "roads", DemoSetup.ROAD_FILE);
        assertThat(roads).exists();
        assertThat(Files.readString(roads)).contains("<osm", "\"highway\"", "\"primary\"");
    }

    @Test
    void serveRefusesToStartWhileADemoPasswordIsSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CaregridApplication.class)
                .run("--spring.main.web-application-type=none", "--caregrid.mode=serve",
                        "--caregrid.home=target/test-home-serve-refusal",
                        "--caregrid.db.url=" + dbUrl, "--caregrid.db.user=" + dbUser, "--caregrid.db.password=" + dbPassword)
                .close())
                .satisfies(failure -> {
                    Throwable cause = failure;
                    while (cause != null && !(cause instanceof DemoPasswordStillSetException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).as("a DemoPasswordStillSetException in " + failure).isNotNull();
                    assertThat(cause.getMessage()).contains("admin", "gridworker", "volunteer");
                });
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
