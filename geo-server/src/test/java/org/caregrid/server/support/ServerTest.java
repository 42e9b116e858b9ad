package org.caregrid.server.support;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
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

    protected void user(String username, String role, String scopeArea, Long scopeGrid, Long personId) {
        Fixtures.user(jdbc, encoder, username, role, scopeArea, scopeGrid, personId);
    }
}
