package org.caregrid.server.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.imports.ImportRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

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
        return send(user, method, uri, json, ifMatch, null, status);
    }

    /** As above, in the language {@code Accept-Language} asks for (null: the default, zh-CN). */
    protected Map<String, Object> send(String user, HttpMethod method, String uri, String json, String ifMatch,
                                       String language, int status) {
        return client.method(method).uri(uri).headers(h -> {
                    h.setBasicAuth(user, Fixtures.PASSWORD);
                    if (ifMatch != null) {
                        h.setIfMatch(ifMatch);
                    }
                    if (language != null) {
                        h.set("Accept-Language", language);
                    }
                }).contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isEqualTo(status)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    /** A metric's gaps in the place {@code query} names ({@code grid=1}, {@code area=…}, {@code &asOf=…}), as {@code user} sees it. */
    @SuppressWarnings("unchecked")
    protected long coverageGaps(String user, String metricId, String query) {
        Map<String, Object> summary = get(user, "/api/coverage/summary?" + query).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        Map<String, Object> metric = ((List<Map<String, Object>>) summary.get("metrics")).stream()
                .filter(m -> metricId.equals(m.get("id"))).findFirst().orElseThrow();
        return ((Number) ((Map<String, Object>) metric.get("area")).get("gaps")).longValue();
    }

    /** One volunteer's line of a volunteer-service sheet (GET /api/reports/volunteer-service). */
    @SuppressWarnings("unchecked")
    protected static Map<String, Object> sheetLine(Map<String, Object> sheet, long personId) {
        return ((List<Map<String, Object>>) sheet.get("volunteers")).stream()
                .filter(l -> ((Number) l.get("personId")).longValue() == personId).findFirst().orElseThrow();
    }

    /** An amount of money from JSON, as yuan with two decimals. */
    protected static String money(Object value) {
        return new java.math.BigDecimal(value.toString()).setScale(2).toPlainString();
    }

    /** The first field a problem names in its {@code errors}. */
    @SuppressWarnings("unchecked")
    protected static String firstField(Map<String, Object> problem) {
        return (String) ((List<Map<String, Object>>) problem.get("errors")).get(0).get("field");
    }

    /** How many audit rows say that {@code user} was shown {@code personId} at {@code endpoint}, for administration. */
    protected long auditedAdminReads(String user, String endpoint, long personId) {
        return jdbc.sql("""
                        SELECT count(*) FROM audit_log WHERE username = :user AND endpoint = :endpoint
                           AND purpose = 'admin' AND detail->'person_ids' @> jsonb_build_array(CAST(:person AS bigint))
                        """).param("user", user).param("endpoint", endpoint).param("person", personId)
                .query(Long.class).single();
    }

    protected void user(String username, String role, String scopeArea, Long scopeGrid, Long personId) {
        Fixtures.user(jdbc, encoder, username, role, scopeArea, scopeGrid, personId);
    }

    /** An upload for {@code POST /api/imports}: the file as {@code fileName}, its type, and dryRun when asked. */
    protected static MultipartBodyBuilder importForm(String type, String fileName, String text, boolean dryRun) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        form.part("type", type);
        if (dryRun) {
            form.part("dryRun", "true");
        }
        return form;
    }

    /** Uploads a file as {@code user} and answers the job's id. */
    protected long uploadImport(String user, String type, String fileName, String text, boolean dryRun) {
        Map<String, Object> accepted = client.post().uri("/api/imports").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(importForm(type, fileName, text, dryRun).build()))
                .exchange().expectStatus().isAccepted()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        return ((Number) accepted.get("id")).longValue();
    }

    /** The import job once it has ended, as {@code user} (its owner) reads it through the API; two minutes at most. */
    protected Map<String, Object> awaitImport(String user, long id) {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        while (true) {
            Map<String, Object> job = get(user, "/api/imports/" + id).exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            if (List.of("succeeded", "failed").contains(job.get("status"))) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited two minutes for import job " + id);
            }
            try {
                Thread.sleep(50); // a poll interval, not a wait for something: the deadline bounds the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for import job " + id);
            }
        }
    }

    /** Runs an import job on this thread, as the command line does, owned by "test"; the file's name is its own. */
    protected static ImportJobs.Outcome runImport(ImportJobs jobs, java.nio.file.Path file, ImportRequest request) {
        String name = file.getFileName().toString();
        return jobs.run(jobs.create(request.type(), name, null, "test", request.dryRun()), file, name, request,
                ImportProgress.NONE);
    }
}
