package org.caregrid.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The OpenAPI document lists every /api operation the controllers declare (read from Spring's own
 * handler mappings, so that a new endpoint cannot be left out), each with its problem answers;
 * it needs a log-in, and the Swagger UI is for administrators and runs under the page's CSP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections) after the class: test databases have few connection slots
@DirtiesContext
class OpenApiTest extends ServerTest {

    @Autowired
    private ApplicationContext context;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "openapi");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", "510104020000", null, null);
    }

    /** springdoc builds the document on first request: more than WebTestClient's 5 s on a busy machine. */
    private WebTestClient patient() {
        return client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private WebTestClient.ResponseSpec getAs(String user, String uri) {
        return patient().get().uri(uri).headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD)).exchange();
    }

    private Map<String, Object> document() {
        return getAs("planner", "/v3/api-docs").expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    /** "GET /api/areas/{code}" for every handler method mapped under /api. */
    private Set<String> controllerOperations() {
        Set<String> operations = new TreeSet<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(mapping ->
                mapping.getHandlerMethods().keySet().forEach(info -> {
                    for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                        if (pattern.getPatternString().startsWith("/api/")) {
                            // a mapping without a method would match all of them: none should be that loose
                            assertThat(info.getMethodsCondition().getMethods()).as(info.toString()).isNotEmpty();
                            info.getMethodsCondition().getMethods().forEach(method ->
                                    operations.add(method.name() + " " + pattern.getPatternString()));
                        }
                    }
                }));
        return operations;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyControllerOperationIsInTheDocument() {
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document().get("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(method ->
                documented.add(method.toUpperCase() + " " + path)));
        Set<String> declared = controllerOperations();
        assertThat(declared).contains("GET /api/vocabulary", "POST /api/coverage/what-if", "GET /api/areas/{code}");
        assertThat(documented).isEqualTo(declared);
    }

    @Test
    @SuppressWarnings("unchecked")
    void operationsCarryTheirParametersBodiesAndProblems() {
        Map<String, Object> doc = document();
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) doc.get("paths");
        Map<String, Object> list = paths.get("/api/coverage/{metricId}").get("get");
        List<String> names = ((List<Map<String, Object>>) list.get("parameters")).stream()
                .map(p -> (String) p.get("name")).toList();
        assertThat(names).contains("metricId", "area", "grid", "asOf", "status", "page", "size", "format")
                .doesNotContain("user", "exchange");
        assertThat(paths.get("/api/coverage/what-if").get("post")).containsKey("requestBody");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
            assertThat(responses).as(method + " " + path).containsKeys("400", "401", "403", "404");
            Map<String, Object> content = (Map<String, Object>) responses.get("401").get("content");
            assertThat(content).containsOnlyKeys("application/problem+json");
            assertThat(((Map<String, Map<String, Object>>) content.get("application/problem+json")).get("schema"))
                    .containsEntry("$ref", "#/components/schemas/Problem");
        }));
        Map<String, Object> problem = ((Map<String, Map<String, Map<String, Object>>>) doc.get("components"))
                .get("schemas").get("Problem");
        assertThat((Map<String, Object>) problem.get("properties"))
                .containsOnlyKeys("type", "title", "status", "detail", "instance", "errors");
    }

    @Test
    void theDocumentNeedsALogIn() {
        patient().get().uri("/v3/api-docs").exchange().expectStatus().isFound()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login"));
    }

    @Test
    void theSwaggerPageIsForAdministratorsOnly() {
        getAs("planner", "/swagger-ui.html").expectStatus().isForbidden();
        getAs("planner", "/swagger-ui/index.html").expectStatus().isForbidden();
        getAs("planner", "/webjars/swagger-ui/index.html").expectStatus().isForbidden();
        patient().get().uri("/swagger-ui/index.html").exchange().expectStatus().isFound();
    }

    /** The page's CSP allows scripts from the server only: the page must have no inline script. */
    @Test
    void theSwaggerPageLoadsItsScriptsFromTheServer() {
        String location = getAs("admin", "/swagger-ui.html").expectStatus().is3xxRedirection()
                .returnResult(String.class).getResponseHeaders().getLocation().toString();
        assertThat(location).endsWith("/swagger-ui/index.html");
        String folder = location.substring(0, location.length() - "index.html".length());
        String html = getAs("admin", location).expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp).contains("script-src 'self'"))
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(2)).as("inline script").isBlank();
            Matcher src = Pattern.compile("src=\"\\./([^\"]+)\"").matcher(scripts.group(1));
            assertThat(src.find()).as(scripts.group()).isTrue();
            getAs("admin", folder + src.group(1)).expectStatus().isOk();
        }
        assertThat(count).isGreaterThanOrEqualTo(2);
        // the initializer points the page at caregrid's document
        assertThat(getAs("admin", folder + "swagger-initializer.js").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).contains("/v3/api-docs");
    }
}
