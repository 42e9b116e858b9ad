package org.caregrid.server.support;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A running server on a real PostGIS, called over HTTP as a user would. Subclasses are
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} with a {@code @DynamicPropertySource} that
 * calls {@link TestDatabase#register}, and load their fixture in a {@code @BeforeAll}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected DataSource dataSource;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected PasswordEncoder encoder;

    protected WebTestClient client;

    @BeforeEach
    void connectClient() {
        // a busy machine (CI shares two cores) can take far longer than WebTestClient's default 5 s
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(java.time.Duration.ofMinutes(2)).build();
    }

    /** A GET as {@code user} with the fixtures' password, by HTTP Basic. */
    protected WebTestClient.RequestHeadersSpec<?> get(String user, String uri) {
        return client.get().uri(uri).headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD));
    }

    /**
     * A JSON request as {@code user}, with an optional {@code If-Match}, expecting {@code status}; the
     * answer's JSON object (a record, or a problem).
     */
    protected Map<String, Object> send(String user, HttpMethod method, String uri, String json, String ifMatch, int status) {
        return client.method(method).uri(uri).headers(h -> {
                    h.setBasicAuth(user, Fixtures.PASSWORD);
                    if (ifMatch != null) {
                        h.setIfMatch(ifMatch);
                    }
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isEqualTo(status)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    /** The first field a problem names in its {@code errors}. */
    @SuppressWarnings("unchecked")
    protected static String firstField(Map<String, Object> problem) {
        return (String) ((List<Map<String, Object>>) problem.get("errors")).get(0).get("field");
    }

    /** The gaps of one coverage metric in an area, as {@code /api/coverage/summary?query} shows them to {@code user}. */
    @SuppressWarnings("unchecked")
    protected long areaGaps(String user, String metricId, String query) {
        Map<String, Object> summary = get(user, "/api/coverage/summary?" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        Map<String, Object> metric = ((List<Map<String, Object>>) summary.get("metrics")).stream()
                .filter(m -> metricId.equals(m.get("id"))).findFirst().orElseThrow();
        return ((Number) ((Map<String, Object>) metric.get("area")).get("gaps")).longValue();
    }

    protected void user(String username, String role, String scopeArea, Long scopeGrid, Long personId) {
        Fixtures.user(jdbc, encoder, username, role, scopeArea, scopeGrid, personId);
    }
}
