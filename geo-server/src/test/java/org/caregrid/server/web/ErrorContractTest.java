package org.caregrid.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No input gives a 500: every bad request gets a 4xx RFC 9457 problem that says, in zh-CN by default
 * and in English when asked, what is wrong and, where there is one, with which field. Nothing bad
 * is stored.
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class ErrorContractTest extends ServerTest {

    private static final String BOX = "103.99,29.99,104.03,30.02";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "error_contract");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("worker", "GRID_WORKER", null, 1L, null);
    }

    private Map<String, Object> problem(HttpMethod method, String uri, MediaType type, String body, String language,
                                        int expectedStatus) {
        var spec = client.method(method).uri(uri).headers(h -> {
            h.setBasicAuth("worker", Fixtures.PASSWORD);
            if (language != null) {
                h.set("Accept-Language", language);
            }
        });
        var sent = body == null ? spec : spec.contentType(type).bodyValue(body);
        Map<String, Object> problem = sent.exchange()
                .expectStatus().isEqualTo(expectedStatus)
                .expectHeader().contentType("application/problem+json")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        assertThat(problem).containsEntry("status", expectedStatus).containsKeys("type", "title", "detail");
        assertThat((String) problem.get("detail")).isNotBlank();
        return problem;
    }

    private Map<String, Object> get(String uri, int status) {
        return problem(HttpMethod.GET, uri, null, null, null, status);
    }

    private Map<String, Object> postVisit(String json, int status) {
        return problem(HttpMethod.POST, "/api/visits", MediaType.APPLICATION_JSON, json, null, status);
    }


    @Test
    void badQueryParametersNameTheParameter() {
        assertThat(firstField(get("/api/coverage/summary?format=xml", 400))).isEqualTo("format");
        assertThat(firstField(get("/api/coverage/summary?asOf=2026-13-45", 400))).isEqualTo("asOf");
        assertThat(firstField(get("/api/coverage/summary?asOf=9999-12-31", 400))).isEqualTo("asOf");
        assertThat(firstField(get("/api/buildings?bbox=" + BOX + "&limit=99999999", 400))).isEqualTo("limit");
        assertThat(firstField(get("/api/buildings?bbox=" + BOX + "&limit=99999999999", 400))).isEqualTo("limit");
        assertThat(firstField(get("/api/routing/isochrone?lat=NaN&lon=104.0", 400))).isEqualTo("centre");
        assertThat(firstField(get("/api/routing/isochrone?lon=104.0", 400))).isEqualTo("lat");
        assertThat(firstField(get("/api/coverage/visits?status=sometimes", 400))).isEqualTo("status");
    }

    @Test
    void theLanguageFollowsAcceptLanguage() {
        Map<String, Object> zh = get("/api/coverage/summary?asOf=tomorrow", 400);
        assertThat((String) zh.get("title")).isEqualTo("输入有误");
        assertThat((String) zh.get("detail")).contains("应为日期");
        Map<String, Object> en = problem(HttpMethod.GET, "/api/coverage/summary?asOf=tomorrow", null, null, "en-GB,en;q=0.9", 400);
        assertThat((String) en.get("title")).isEqualTo("Invalid input");
        assertThat((String) en.get("detail")).contains("must be a date like 2026-11-26");
    }

    @Test
    void badBodiesNameTheFieldAndStoreNothing() {
        assertThat(firstField(postVisit("{", 400))).isEqualTo("body");
        assertThat(firstField(postVisit("{\"keyPersonId\":\"abc\",\"method\":\"phone\"}", 400))).isEqualTo("keyPersonId");
        assertThat(firstField(postVisit("{\"keyPersonId\":1,\"method\":\"carrier pigeon\"}", 400))).isEqualTo("method");
        assertThat(firstField(postVisit("{\"keyPersonId\":1,\"method\":\"phone\",\"findings\":\"a\\u0000b\"}", 400)))
                .isEqualTo("findings");
        assertThat(firstField(postVisit("{\"keyPersonId\":1,\"method\":\"phone\",\"findings\":\"\\ud800x\"}", 400)))
                .isEqualTo("findings");
        assertThat(firstField(postVisit("{\"keyPersonId\":1,\"method\":\"phone\",\"needsFound\":[null]}", 400)))
                .isEqualTo("needsFound[0]");
        assertThat(firstField(postVisit("{\"keyPersonId\":1,\"method\":\"phone\",\"visitedAt\":\"1800-01-01T10:00:00+08:00\"}", 400)))
                .isEqualTo("visitedAt");
        assertThat(firstField(postVisit("{\"method\":\"phone\"}", 400))).isEqualTo("keyPersonId");
        assertThat(jdbc.sql("SELECT count(*) FROM visit").query(Long.class).single()).isZero();
    }

    @Test
    void oversizedBodiesWrongMediaTypesAndMethodsAreRefusedInWords() {
        String huge = "{\"keyPersonId\":1,\"method\":\"phone\",\"findings\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        postVisit(huge, 413);
        problem(HttpMethod.POST, "/api/visits", MediaType.TEXT_PLAIN, "hello", null, 415);
        var notAcceptable = client.get().uri("/api/coverage/metrics").headers(h -> {
            h.setBasicAuth("worker", Fixtures.PASSWORD);
            h.setAccept(java.util.List.of(MediaType.IMAGE_PNG));
        }).exchange().expectStatus().isEqualTo(406).expectBody(String.class).returnResult().getResponseBody();
        assertThat(notAcceptable).contains("urn:caregrid:problem:not-acceptable");
        problem(HttpMethod.DELETE, "/api/me", null, null, null, 405);
        get("/api/no-such-thing", 404);
        assertThat(jdbc.sql("SELECT count(*) FROM visit").query(Long.class).single()).isZero();
    }
}
