package org.caregrid.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One casing (docs/api.md): every JSON property name the API writes is camelCase, GeoJSON feature
 * properties too, whether a record, a map or PostGIS (json_build_object, ST_AsGeoJSON) made it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections) after the class: test databases have few connection slots
@DirtiesContext
class JsonCasingTest extends ServerTest {

    private static final String CAMEL = "[a-z][a-zA-Z0-9]*";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "json_casing");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("admin", "ADMIN", null, null, null);
    }

    /** The property names of a JSON value, at every depth, with where they are. */
    private static void names(Object json, String where, List<String> found) {
        if (json instanceof Map<?, ?> object) {
            object.forEach((name, value) -> {
                found.add(where + "." + name);
                names(value, where + "." + name, found);
            });
        } else if (json instanceof List<?> array) {
            array.forEach(item -> names(item, where + "[]", found));
        }
    }

    @Test
    void everyPropertyNameIsCamelCase() {
        List<String> uris = List.of("/api/me", "/api/areas", "/api/areas/990101001000", "/api/grids",
                "/api/buildings?bbox=7.40,43.71,7.45,43.76", "/api/facilities", "/api/vocabulary",
                "/api/coverage/metrics", "/api/coverage/summary?area=990101001000",
                "/api/coverage/summary?area=990101001000&format=geojson",
                "/api/coverage/visits?area=990101001000&status=all",
                "/api/coverage/visits?area=990101001000&status=all&format=geojson",
                "/api/dispatch/requests?status=all", "/api/dispatch/volunteers", "/api/persons/1",
                "/api/persons/1/visits");
        List<String> offending = new ArrayList<>();
        int seen = 0;
        for (String uri : uris) {
            Object body = client.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                    .get().uri(uri).headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD)).exchange()
                    .expectStatus().isOk().expectBody(Object.class).returnResult().getResponseBody();
            List<String> names = new ArrayList<>();
            names(body, uri, names);
            seen += names.size();
            names.stream().filter(path -> !path.substring(path.lastIndexOf('.') + 1).matches(CAMEL)).forEach(offending::add);
        }
        assertThat(offending).isEmpty();
        assertThat(seen).isGreaterThan(500);
    }
}
