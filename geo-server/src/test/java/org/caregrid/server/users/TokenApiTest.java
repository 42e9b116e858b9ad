package org.caregrid.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Personal access tokens on two grids (fixtures/two-grids.sql): made once, stored hashed, logging in as
 * their user on the API and on a GIS-style read, refused once revoked or expired or when the user is
 * disabled, and never a way around CSRF for a browser session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class TokenApiTest extends ServerTest {

    private static final String BOX = "103.99,29.99,104.03,30.02";
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "token_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("planner", "PLANNER", "510104020000", null, null);
        user("admin", "ADMIN", null, null, null);
        user("worker_gone", "GRID_WORKER", null, 1L, null);
    }

    private Map<String, Object> newToken(String user, String json, int status) {
        return client.post().uri("/api/tokens").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isEqualTo(status).expectBody(MAP).returnResult().getResponseBody();
    }

    private EntityExchangeResult<String> withBearer(String token, String uri) {
        return client.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange().expectBody(String.class).returnResult();
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndLogsInOnTheApiAndForAGisClient() throws Exception {
        OffsetDateTime expires = OffsetDateTime.now().plusDays(30).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> created = newToken("worker_a", "{\"name\":\"QGIS 笔记本\",\"expiresAt\":\"" + expires + "\"}", 201);
        String token = (String) created.get("token");
        assertThat(token).startsWith("cg_").hasSize(3 + 43);
        assertThat(created).containsEntry("name", "QGIS 笔记本").containsEntry("username", "worker_a");
        long id = ((Number) created.get("id")).longValue();

        var row = jdbc.sql("""
                SELECT t.name, u.username, t.token_hash, t.expires_at, t.revoked_at, t.last_used_at
                  FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = :id""").param("id", id)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getBytes(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), String.valueOf(rs.getObject(5)),
                        String.valueOf(rs.getObject(6)))).single();
        assertThat(row.get(0)).isEqualTo("QGIS 笔记本");
        assertThat(row.get(1)).isEqualTo("worker_a");
        assertThat((byte[]) row.get(2)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(token.getBytes("UTF-8")));
        assertThat(row.get(3)).isEqualTo(expires.toInstant());
        assertThat(row.subList(4, 6)).containsExactly("null", "null");

        EntityExchangeResult<String> me = withBearer(token, "/api/me");
        assertThat(me.getStatus().value()).isEqualTo(200);
        assertThat(me.getResponseBody()).contains("\"username\":\"worker_a\"", "\"scopeType\":\"grid\"", "\"gridId\":1");
        // no session is started for a token: each call stands alone
        assertThat(me.getResponseCookies()).doesNotContainKey("SESSION");

        // as a GIS client reads features: the grid worker's buildings, and only theirs
        EntityExchangeResult<String> buildings = withBearer(token, "/api/buildings?bbox=" + BOX);
        assertThat(buildings.getStatus().value()).isEqualTo(200);
        assertThat(buildings.getResponseBody()).contains("A1栋", "A2栋").doesNotContain("B1栋");
        assertThat(jdbc.sql("SELECT last_used_at IS NOT NULL FROM api_token WHERE id = :id").param("id", id)
                .query(Boolean.class).single()).isTrue();

        List<Map<String, Object>> mine = client.get().uri("/api/tokens").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody();
        Map<String, Object> listed = mine.stream().filter(t -> ((Number) t.get("id")).longValue() == id).findFirst().orElseThrow();
        assertThat(listed).containsEntry("active", true).containsEntry("username", "worker_a")
                .doesNotContainKeys("token", "tokenHash").containsKey("lastUsedAt");
    }

    @Test
    void aRevokedOrExpiredTokenOrOneOfADisabledUserGets401WithAProblem() {
        String revoked = (String) newToken("worker_a", "{\"name\":\"script\"}", 201).get("token");
        long revokedId = jdbc.sql("SELECT id FROM api_token WHERE name = 'script'").query(Long.class).single();
        assertThat(withBearer(revoked, "/api/me").getStatus().value()).isEqualTo(200);
        Map<String, Object> answer = client.delete().uri("/api/tokens/" + revokedId)
                .headers(h -> h.setBasicAuth("worker_a", Fixtures.PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(MAP).returnResult().getResponseBody();
        assertThat(answer).containsEntry("active", false).containsKey("revokedAt");
        assertThat(jdbc.sql("SELECT count(*) FROM api_token WHERE id = :id AND revoked_at IS NOT NULL")
                .param("id", revokedId).query(Long.class).single()).as("the row stays").isEqualTo(1);
        assertUnauthorized(revoked);

        String expired = (String) newToken("worker_a", "{\"name\":\"expiring\"}", 201).get("token");
        jdbc.sql("UPDATE api_token SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' "
                + "WHERE name = 'expiring'").update();
        assertUnauthorized(expired);

        String ofDisabled = (String) newToken("worker_gone", "{\"name\":\"left\"}", 201).get("token");
        assertThat(withBearer(ofDisabled, "/api/me").getStatus().value()).isEqualTo(200);
        jdbc.sql("UPDATE app_user SET enabled = false WHERE username = 'worker_gone'").update();
        assertUnauthorized(ofDisabled);

        assertUnauthorized("cg_" + "A".repeat(43));
        assertUnauthorized("x");
    }

    private void assertUnauthorized(String token) {
        EntityExchangeResult<String> answer = withBearer(token, "/api/me");
        assertThat(answer.getStatus().value()).as(token).isEqualTo(401);
        assertThat(answer.getResponseHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(answer.getResponseBody()).contains("urn:caregrid:problem:unauthorized", "\"status\":401");
        assertThat(withBearer(token, "/api/buildings?bbox=" + BOX).getStatus().value()).isEqualTo(401);
    }

    @Test
    void eachUserSeesTheirOwnTokensAndAnAdministratorSeesAndRevokesAnyone() {
        Map<String, Object> workers = newToken("worker_a", "{\"name\":\"worker's\"}", 201);
        long id = ((Number) workers.get("id")).longValue();
        newToken("planner", "{\"name\":\"planner's\"}", 201);

        List<Map<String, Object>> planners = client.get().uri("/api/tokens").headers(h -> h.setBasicAuth("planner", Fixtures.PASSWORD))
                .exchange().expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody();
        assertThat(planners).extracting(t -> t.get("username")).containsOnly("planner");
        client.delete().uri("/api/tokens/" + id).headers(h -> h.setBasicAuth("planner", Fixtures.PASSWORD))
                .exchange().expectStatus().isNotFound();

        List<Map<String, Object>> all = client.get().uri("/api/tokens").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .exchange().expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody();
        assertThat(all).extracting(t -> t.get("username")).contains("worker_a", "planner");
        client.delete().uri("/api/tokens/" + id).headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .exchange().expectStatus().isOk();
        assertThat(withBearer((String) workers.get("token"), "/api/me").getStatus().value()).isEqualTo(401);
    }

    @Test
    void badFieldsAreNamedAndNothingIsStored() {
        long before = jdbc.sql("SELECT count(*) FROM api_token").query(Long.class).single();
        assertThat(fields(newToken("worker_a", "{}", 400))).containsExactly("name");
        assertThat(fields(newToken("worker_a", "{\"name\":\"  \"}", 400))).containsExactly("name");
        assertThat(fields(newToken("worker_a", "{\"name\":\"" + "长".repeat(101) + "\"}", 400))).containsExactly("name");
        assertThat(fields(newToken("worker_a", "{\"name\":\"old\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}", 400)))
                .containsExactly("expiresAt");
        assertThat(fields(newToken("worker_a", "{\"name\":\"old\",\"expiresAt\":\"tomorrow\"}", 400)))
                .containsExactly("expiresAt");
        assertThat(jdbc.sql("SELECT count(*) FROM api_token").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void aLiveBearerTokenNeedsNoCsrfTokenButABogusOneDoesNotExemptABrowserSession() {
        String token = (String) newToken("worker_a", "{\"name\":\"csrf\"}", 201).get("token");
        // a script with its token alone
        client.post().uri("/api/tokens").headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"made by a script\"}").exchange().expectStatus().isCreated();

        Map<String, String> cookies = browserSession("worker_a");
        String csrf = cookies.get("XSRF-TOKEN");
        // the browser's own write, with its CSRF header, goes through: the session is a real one
        browserPost(cookies, csrf, null).expectStatus().isCreated();
        // a forged write rides on the cookie without the header: refused, with or without a bogus bearer
        browserPost(cookies, null, null).expectStatus().isForbidden();
        browserPost(cookies, null, "x").expectStatus().isForbidden();
        browserPost(cookies, null, "cg_" + "B".repeat(43)).expectStatus().isForbidden();
        long made = jdbc.sql("SELECT count(*) FROM api_token WHERE name = 'from the browser'").query(Long.class).single();
        assertThat(made).isEqualTo(1);
    }

    private WebTestClient.ResponseSpec browserPost(Map<String, String> cookies, String csrf, String bearer) {
        return client.method(HttpMethod.POST).uri("/api/tokens").cookies(c -> cookies.forEach(c::add)).headers(h -> {
            if (csrf != null) {
                h.add("X-XSRF-TOKEN", csrf);
            }
            if (bearer != null) {
                h.setBearerAuth(bearer);
            }
        }).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"from the browser\"}").exchange();
    }

    /** Logs in through the form as a browser does and returns the cookies it then holds. */
    private Map<String, String> browserSession(String username) {
        Map<String, String> cookies = new HashMap<>();
        var page = client.get().uri("/login").exchange().expectBody(String.class).returnResult();
        keep(cookies, page.getResponseCookies());
        var login = client.post().uri("/login").cookies(c -> cookies.forEach(c::add))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", username).with("password", Fixtures.PASSWORD)
                        .with("_csrf", cookies.get("XSRF-TOKEN")))
                .exchange().expectStatus().isFound().expectHeader().valueEquals("Location", "/")
                .expectBody(String.class).returnResult();
        keep(cookies, login.getResponseCookies());
        // the page after the log-in: the CSRF cookie it leaves is the one the page's scripts send
        var home = client.get().uri("/").cookies(c -> cookies.forEach(c::add))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        keep(cookies, home.getResponseCookies());
        assertThat(cookies).containsKeys("SESSION", "XSRF-TOKEN");
        return cookies;
    }

    private static void keep(Map<String, String> cookies, org.springframework.util.MultiValueMap<String, ResponseCookie> set) {
        set.forEach((name, values) -> values.forEach(c -> {
            if (c.getValue().isEmpty() || c.getMaxAge().isZero()) {
                cookies.remove(name);
            } else {
                cookies.put(name, c.getValue());
            }
        }));
    }

    @SuppressWarnings("unchecked")
    static List<String> fields(Map<String, Object> problem) {
        return ((List<Map<String, Object>>) problem.get("errors")).stream().map(e -> (String) e.get("field")).toList();
    }
}
