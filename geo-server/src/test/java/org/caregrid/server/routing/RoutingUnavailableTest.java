package org.caregrid.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** No road file anywhere: the server is healthy, and routing says why it cannot answer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections and its road network) after the class: test databases have few connection slots
@DirtiesContext
class RoutingUnavailableTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "routing_unavailable");
        registry.add("caregrid.home", () -> "target/test-home-no-roads");
    }

    @BeforeAll
    void users() {
        user("admin", "ADMIN", null, null, null);
    }

    @Test
    void healthIsUpAndRoutingAnswers503() {
        Map<String, Object> health = get("admin", "/actuator/health").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(health.get("status")).isEqualTo("UP");
        Map<?, ?> component = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("routing");
        assertThat(((Map<?, ?>) component.get("details")).get("state")).isEqualTo("no road network");

        get("admin", "/api/routing/route?from=43.73,7.42&to=43.74,7.43").header("Accept-Language", "en").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("no road network"));
        client.post().uri("/api/routing/nearest/refresh").headers(h -> h.setBasicAuth("admin", "correct-horse-7"))
                .exchange().expectStatus().isEqualTo(503);
    }
}
