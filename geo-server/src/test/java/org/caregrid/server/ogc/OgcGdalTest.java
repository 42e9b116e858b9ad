package org.caregrid.server.ogc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * GDAL, as QGIS uses it, against the running server: ogr2ogr's OAPIF driver copies every collection into a
 * GeoPackage with the API's own count, and the MVT driver reads a tile. Needs Debian's gdal-bin (installed
 * by {@code ./caregrid test}); without it the test fails and says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class OgcGdalTest extends ServerTest {

    private static final Pattern LAYER_COUNT = Pattern.compile("Layer name: (\\S+)[\\s\\S]*?Feature Count: (\\d+)");

    @TempDir
    Path folder;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "ogc_gdal");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        Fixtures.load(dataSource, "fixtures/ogc.sql");
        user("admin", "ADMIN", null, null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
    }

    @BeforeEach
    void patientClient() {
        client = client.mutate().responseTimeout(Duration.ofSeconds(120)).build();
    }

    private static void requireGdal() {
        for (String tool : List.of("ogr2ogr", "ogrinfo")) {
            boolean found = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
            if (!found) {
                fail(tool + " was not found: install Debian's gdal-bin (sudo apt-get install gdal-bin), "
                        + "or run the tests with ./caregrid test, which installs it");
            }
        }
    }

    private String run(String user, String... command) throws IOException, InterruptedException {
        return run(Map.of("GDAL_HTTP_USERPWD", user + ":" + Fixtures.PASSWORD), command);
    }

    /** Runs a GDAL tool with {@code credentials} in its environment (a log-in, or a header with a token). */
    private String run(Map<String, String> credentials, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(credentials);
        builder.environment().put("GDAL_HTTP_TIMEOUT", "120");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 5 minutes");
        }
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    private long numberMatched(String user, String collection) {
        Map<String, Object> page = get(user, "/ogc/collections/" + collection + "/items?limit=1").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        return ((Number) page.get("numberMatched")).longValue();
    }

    private Map<String, Long> copyEveryCollection(String user) throws Exception {
        Path gpkg = folder.resolve(user + ".gpkg");
        String copy = run(user, "ogr2ogr", "-f", "GPKG", gpkg.toString(), "OAPIF:http://localhost:" + port + "/ogc");
        assertThat(copy).as("what ogr2ogr said").doesNotContain("ERROR");
        String info = run(user, "ogrinfo", "-so", "-al", gpkg.toString());
        Map<String, Long> counts = new LinkedHashMap<>();
        Matcher m = LAYER_COUNT.matcher(info);
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }

    @Test
    void ogr2ogrCopiesEveryCollectionWithTheApisCount() throws Exception {
        requireGdal();
        Map<String, Long> copied = copyEveryCollection("admin");
        Map<String, Long> expected = new LinkedHashMap<>();
        for (Layer layer : Layer.values()) {
            expected.put(layer.id().replace('-', '_'), numberMatched("admin", layer.id()));
        }
        // GDAL names GeoPackage tables after the collections, '-' made '_'
        Map<String, Long> normalised = new LinkedHashMap<>();
        copied.forEach((name, n) -> normalised.put(name.replace('-', '_'), n));
        System.out.println("ogr2ogr copied " + normalised + "; the API counts " + expected);
        assertThat(normalised).isEqualTo(expected);
        assertThat(expected).containsEntry("buildings", 3L).containsEntry("facilities", 3L).containsEntry("grids", 2L);
    }

    @Test
    void aGridWorkersCopyHoldsOnlyTheirGrid() throws Exception {
        requireGdal();
        Map<String, Long> copied = copyEveryCollection("worker_a");
        assertThat(copied).containsEntry("buildings", 2L).containsEntry("grids", 1L).containsEntry("units", 2L);
    }

    @Test
    void aPersonalAccessTokenServesAGisClientWithoutThePassword() throws Exception {
        requireGdal();
        Map<String, Object> created = client.post().uri("/api/tokens").headers(h -> h.setBasicAuth("worker_a", Fixtures.PASSWORD))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"QGIS\"}")
                .exchange().expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        String token = (String) created.get("token");
        Path gpkg = folder.resolve("token.gpkg");
        // GDAL (and so QGIS) sends the token as a header of every request; no user name or password is given
        String copy = run(Map.of("GDAL_HTTP_HEADERS", "Authorization: Bearer " + token),
                "ogr2ogr", "-f", "GPKG", gpkg.toString(), "OAPIF:http://localhost:" + port + "/ogc", "buildings", "grids");
        assertThat(copy).as("what ogr2ogr said").doesNotContain("ERROR");
        String info = run(Map.of(), "ogrinfo", "-so", "-al", gpkg.toString());
        Map<String, Long> counts = new LinkedHashMap<>();
        Matcher m = LAYER_COUNT.matcher(info);
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        // the token reaches as far as its owner: the grid worker's own grid
        assertThat(counts).containsEntry("buildings", 2L).containsEntry("grids", 1L);
    }

    @Test
    void gdalsMvtDriverReadsATile() throws Exception {
        requireGdal();
        byte[] tile = get("admin", "/ogc/collections/buildings/tiles/WebMercatorQuad/14/6759/12925").exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        // the driver georeferences a tile from a z/x/y path
        Path file = folder.resolve("14/12925/6759.pbf");
        Files.createDirectories(file.getParent());
        Files.write(file, tile);
        String info = run("admin", "ogrinfo", "-al", "MVT:" + file);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("name \\(String\\) = (\\S+)").matcher(info);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).containsExactlyInAnyOrder("A1栋", "A2栋", "B1栋");
        assertThat(info).contains("Layer name: buildings").contains("has_building_head");
    }
}
