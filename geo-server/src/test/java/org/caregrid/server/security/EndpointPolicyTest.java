package org.caregrid.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint × every role, generated from the access policy: the handler's declared action and
 * the policy table decide whether each role is refused (403, a problem in words) or served, and the
 * catalogue below says how to call each endpoint. An endpoint without an action, or without an entry
 * here, fails this test: a new endpoint cannot slip past the policy. Then, for the endpoints that show
 * persons, inside versus outside the caller's scope, and whether names and phone numbers appear.
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class EndpointPolicyTest extends ServerTest {

    private static final String BOX = "103.99,29.99,104.03,30.02";
    private static final String STREET = "510104020000";

    /** How to call one endpoint: method, the mapping's pattern, a URI and a JSON body (or "multipart"). */
    record Call(HttpMethod method, String pattern, String uri, String body) {
        String key() {
            return method.name() + " " + pattern;
        }
    }

    private static final List<Call> CATALOGUE = List.of(
            reading("/api/me", "/api/me"),
            reading("/api/vocabulary", "/api/vocabulary"),
            reading("/ogc", "/ogc"),
            reading("/ogc/", "/ogc/"),
            reading("/ogc/conformance", "/ogc/conformance"),
            reading("/ogc/api", "/ogc/api"),
            reading("/ogc/collections", "/ogc/collections"),
            reading("/ogc/collections/{collectionId}", "/ogc/collections/buildings"),
            reading("/ogc/collections/{collectionId}/items", "/ogc/collections/buildings/items"),
            reading("/ogc/collections/{collectionId}/items/{featureId}", "/ogc/collections/buildings/items/1"),
            reading("/ogc/collections/{collectionId}/tiles", "/ogc/collections/buildings/tiles"),
            reading("/ogc/collections/{collectionId}/tiles/WebMercatorQuad/tilejson",
                    "/ogc/collections/buildings/tiles/WebMercatorQuad/tilejson"),
            reading("/ogc/collections/{collectionId}/tiles/WebMercatorQuad/{z}/{y}/{x}",
                    "/ogc/collections/buildings/tiles/WebMercatorQuad/15/13519/25850"),
            reading("/api/areas", "/api/areas"),
            reading("/api/areas/{code}", "/api/areas/510104020001"),
            reading("/api/grids", "/api/grids"),
            reading("/api/buildings", "/api/buildings?bbox=" + BOX),
            reading("/api/buildings/{id}/units", "/api/buildings/1/units"),
            reading("/api/facilities", "/api/facilities"),
            sending("/api/facilities", "/api/facilities",
                    "{\"kind\":\"pharmacy\",\"name\":\"政策测试药店\",\"location\":{\"lat\":30.005,\"lon\":104.005}}"),
            new Call(HttpMethod.PATCH, "/api/facilities/{id}", "/api/facilities/999", "{\"phone\":\"028-8888888\"}"),
            reading("/api/facilities/{id}", "/api/facilities/999"),
            sending("/api/volunteers", "/api/volunteers", "{\"personId\":3,\"teams\":[\"medicine_delivery\"]}"),
            new Call(HttpMethod.PATCH, "/api/volunteers/{personId}", "/api/volunteers/999", "{\"capacity\":4}"),
            reading("/api/volunteers/{personId}", "/api/volunteers/999"),
            sending("/api/organisations", "/api/organisations", "{\"name\":\"政策测试组织\",\"areaCode\":\"" + STREET + "\"}"),
            new Call(HttpMethod.PATCH, "/api/organisations/{id}", "/api/organisations/999", "{\"kind\":\"兴趣小组\"}"),
            reading("/api/organisations/{id}", "/api/organisations/999"),
            reading("/api/organisations", "/api/organisations"),
            reading("/api/roads", "/api/roads?bbox=" + BOX),
            reading("/api/routing/route", "/api/routing/route?from=30.002,104.002&to=30.004,104.004"),
            sending("/api/routing/matrix", "/api/routing/matrix", "{\"sources\":[{\"lat\":30.002,\"lon\":104.002}]}"),
            reading("/api/routing/isochrone", "/api/routing/isochrone?lat=30.002&lon=104.002"),
            reading("/api/routing/nearest", "/api/routing/nearest?lat=30.002&lon=104.002"),
            reading("/api/emergency/hospital", "/api/emergency/hospital?personId=1"),
            reading("/api/needs", "/api/needs"),
            reading("/api/needs/{id}/matches", "/api/needs/999/matches"),
            sending("/api/needs/{id}/take", "/api/needs/999/take", "{\"supplyId\":1}"),
            sending("/api/needs/{id}/done", "/api/needs/999/done", "{}"),
            sending("/api/needs/{id}/escalate", "/api/needs/999/escalate", "{\"note\":\"社区无力解决\"}"),
            // the volunteer user is person 3: a volunteer publishes only their own offers
            sending("/api/supplies", "/api/supplies", "{\"providerKind\":\"volunteer\",\"volunteerPersonId\":3,"
                    + "\"kind\":\"shopping\",\"areaCode\":\"510104020001\",\"capacityPerWeek\":2}"),
            new Call(HttpMethod.PATCH, "/api/supplies/{id}", "/api/supplies/999", "{\"endedOn\":\"2026-01-01\"}"),
            reading("/api/supplies/{id}", "/api/supplies/999"),
            reading("/api/supplies", "/api/supplies"),
            sending("/api/callouts", "/api/callouts",
                    "{\"gridId\":1,\"needed\":1,\"startsAt\":\"2026-11-01T09:00:00+08:00\",\"hours\":2}"),
            reading("/api/callouts", "/api/callouts"),
            reading("/api/callouts/{id}", "/api/callouts/999"),
            sending("/api/callouts/{id}/responses", "/api/callouts/999/responses", "{\"personId\":3,\"accept\":true}"),
            sending("/api/callouts/{id}/close", "/api/callouts/999/close", "{}"),
            reading("/api/routing/service-areas", "/api/routing/service-areas?bbox=" + BOX),
            reading("/api/routing/outside-buildings", "/api/routing/outside-buildings?bbox=" + BOX),
            sending("/api/routing/responsible/refresh", "/api/routing/responsible/refresh", null),
            sending("/api/routing/nearest/refresh", "/api/routing/nearest/refresh", null),
            sending("/api/visits", "/api/visits", "{\"keyPersonId\":1,\"method\":\"phone\"}"),
            reading("/api/persons/{id}/visits", "/api/persons/1/visits"),
            reading("/api/persons/{id}", "/api/persons/1"),
            reading("/api/coverage/metrics", "/api/coverage/metrics"),
            reading("/api/coverage/summary", "/api/coverage/summary"),
            // a building metric: lists of persons are refused to roles without READ_NAMES (CoverageMetricsTest)
            reading("/api/coverage/{metricId}", "/api/coverage/building-heads?area=" + STREET),
            reading("/api/coverage/{metricId}/buildings", "/api/coverage/building-heads/buildings?area=" + STREET),
            reading("/api/coverage/{metricId}/suggestions", "/api/coverage/building-heads/suggestions?item=1"),
            sending("/api/coverage/what-if", "/api/coverage/what-if",
                    "{\"area\":\"" + STREET + "\",\"appointments\":[{\"role\":\"building_head\",\"personId\":3,\"buildingId\":2}]}"),
            sending("/api/dispatch/plans", "/api/dispatch/plans", "{\"allPending\":true,\"volunteerIds\":[3]}"),
            reading("/api/dispatch/plans", "/api/dispatch/plans"),
            reading("/api/dispatch/plans/{id}", "/api/dispatch/plans/999"),
            reading("/api/dispatch/plans/{id}/state", "/api/dispatch/plans/999/state"),
            reading("/api/dispatch/plans/{id}/sheet/{volunteerPersonId}", "/api/dispatch/plans/999/sheet/3"),
            reading("/api/dispatch/requests", "/api/dispatch/requests"),
            sending("/api/dispatch/plans/{id}/publish", "/api/dispatch/plans/999/publish", "{}"),
            reading("/api/my/route", "/api/my/route"),
            sending("/api/my/route/stops/{stopId}", "/api/my/route/stops/999",
                    "{\"outcome\":\"delivered\",\"key\":\"policy-test-1\"}"),
            reading("/api/volunteers/{personId}/service-records", "/api/volunteers/3/service-records"),
            reading("/api/reports/volunteer-service", "/api/reports/volunteer-service?month=2026-10"),
            reading("/api/volunteers/{personId}/certificate", "/api/volunteers/3/certificate"),
            reading("/api/dispatch/volunteers", "/api/dispatch/volunteers"),
            sending("/api/visits/tour", "/api/visits/tour", "{}"),
            sending("/api/imports", "/api/imports", "multipart"),
            reading("/api/imports/{id}", "/api/imports/999"),
            sending("/api/assignments", "/api/assignments",
                    "{\"role\":\"unit_head\",\"personId\":1,\"unitId\":1,\"validFrom\":\"2026-01-01\",\"validTo\":\"2026-01-01\"}"),
            new Call(HttpMethod.PATCH, "/api/assignments/{id}", "/api/assignments/1", "{\"reason\":\"test\"}"),
            reading("/api/assignments/{id}", "/api/assignments/1"),
            reading("/api/assignments", "/api/assignments?building=1"),
            reading("/api/history", "/api/history?entity=assignment&id=1"),
            reading("/api/persons", "/api/persons?q=张"),
            sending("/api/persons", "/api/persons", "{\"name\":\"新居民\",\"buildingId\":1}"),
            new Call(HttpMethod.PATCH, "/api/persons/{id}", "/api/persons/1", "{\"room\":\"301\"}"),
            sending("/api/persons/{id}/close", "/api/persons/999/close", "{\"reason\":\"deceased\",\"on\":\"2026-01-01\"}"),
            sending("/api/persons/{id}/reopen", "/api/persons/999/reopen", "{\"reason\":\"认错了人\"}"),
            sending("/api/key-persons", "/api/key-persons", "{\"personId\":3,\"categories\":[\"elderly_alone\"],\"riskLevel\":\"low\"}"),
            new Call(HttpMethod.PATCH, "/api/key-persons/{personId}", "/api/key-persons/1", "{\"notes\":\"独居\"}"),
            sending("/api/delivery-requests", "/api/delivery-requests", "{\"keyPersonId\":1,\"items\":\"降压药\"}"),
            new Call(HttpMethod.PATCH, "/api/delivery-requests/{id}", "/api/delivery-requests/999",
                    "{\"status\":\"cancelled\",\"reason\":\"已自取\"}"),
            reading("/api/delivery-requests/{id}", "/api/delivery-requests/999"),
            reading("/api/delivery-requests", "/api/delivery-requests?keyPerson=1"),
            sending("/api/tokens", "/api/tokens", "{\"name\":\"policy test\"}"),
            reading("/api/tokens", "/api/tokens"),
            new Call(HttpMethod.DELETE, "/api/tokens/{id}", "/api/tokens/999", null),
            sending("/api/users", "/api/users",
                    "{\"username\":\"policy_user\",\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\"" + STREET + "\"}"),
            new Call(HttpMethod.PATCH, "/api/users/{username}", "/api/users/planner", "{\"displayName\":\"规划员\"}"),
            reading("/api/users/{username}", "/api/users/planner"),
            reading("/api/users", "/api/users"));

    /** One user per role; each role's user name is the role's name in lower case. */
    private static final Map<Role, String> USERS = new LinkedHashMap<>();

    static {
        for (Role role : Role.values()) {
            USERS.put(role, role.name().toLowerCase());
        }
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "endpoint_policy");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", STREET, null, null);
        user("dispatcher", "DISPATCHER", STREET, null, null);
        user("grid_worker", "GRID_WORKER", null, 1L, null);
        user("volunteer", "VOLUNTEER", STREET, null, 3L);
    }

    private static Call reading(String pattern, String uri) {
        return new Call(HttpMethod.GET, pattern, uri, null);
    }

    private static Call sending(String pattern, String uri, String body) {
        return new Call(HttpMethod.POST, pattern, uri, body);
    }

    /** caregrid's own handlers, by "METHOD pattern", with the action each declares (null: none). */
    private Map<String, Action> declaredActions() {
        Map<String, Action> declared = new LinkedHashMap<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : handlers.getHandlerMethods().entrySet()) {
            if (!AccessFilter.isPoliced(e.getValue())) {
                continue;
            }
            Requires requires = e.getValue().getMethodAnnotation(Requires.class);
            for (var method : e.getKey().getMethodsCondition().getMethods()) {
                for (var pattern : e.getKey().getPatternsCondition().getPatterns()) {
                    declared.put(method.name() + " " + pattern.getPatternString(), requires == null ? null : requires.value());
                }
            }
        }
        return declared;
    }

    @Test
    void everyEndpointDeclaresItsActionAndIsInTheCatalogue() {
        Map<String, Action> declared = declaredActions();
        List<String> undeclared = declared.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        assertThat(undeclared).as("handlers without @Requires").isEmpty();
        assertThat(new TreeSet<>(CATALOGUE.stream().map(Call::key).toList()))
                .as("the catalogue of this test lists every endpoint, and only those")
                .isEqualTo(new TreeSet<>(declared.keySet()));
    }

    private EntityExchangeResult<String> call(String user, Call call) {
        var spec = client.method(call.method()).uri(call.uri()).headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD));
        if ("multipart".equals(call.body())) {
            MultipartBodyBuilder parts = new MultipartBodyBuilder();
            // the least an upload may be (IMPORT_ROSTER); other types need IMPORT too (RosterImportTest)
            parts.part("type", "assignments");
            parts.part("dryRun", "true");
            parts.part("file", new org.springframework.core.io.ByteArrayResource("role,building,name,phone\n"
                    .getBytes()) {
                @Override
                public String getFilename() {
                    return "roster.csv";
                }
            });
            return spec.contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(parts.build()))
                    .exchange().expectBody(String.class).returnResult();
        }
        if (call.body() != null) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body()).exchange().expectBody(String.class).returnResult();
        }
        return spec.exchange().expectBody(String.class).returnResult();
    }

    @Test
    void everyRoleIsRefusedOrServedAsThePolicySays() {
        Map<String, Action> declared = declaredActions();
        List<String> wrong = new ArrayList<>();
        for (Call c : CATALOGUE) {
            Action action = declared.get(c.key());
            for (Map.Entry<Role, String> user : USERS.entrySet()) {
                boolean allowed = AccessPolicy.reach(user.getKey(), action) != Reach.NONE;
                EntityExchangeResult<String> answer = call(user.getValue(), c);
                int status = answer.getStatus().value();
                String body = answer.getResponseBody() == null ? "" : answer.getResponseBody();
                boolean refused = status == 403 && body.contains("urn:caregrid:problem:forbidden");
                if (allowed == refused || status == 401 || status >= 500 && status != 503) {
                    wrong.add(c.key() + " as " + user.getKey() + " (" + action + "): " + status + " " + body);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void namesAndPhonesAppearOnlyForTheRolesThatMayReadThemAndOnlyInsideTheirScope() {
        for (Map.Entry<Role, String> user : USERS.entrySet()) {
            Reach names = AccessPolicy.reach(user.getKey(), Action.READ_NAMES);
            Reach phones = AccessPolicy.reach(user.getKey(), Action.READ_PHONE);
            EntityExchangeResult<String> inside = call(user.getValue(), reading("/api/persons/{id}", "/api/persons/1"));
            if (names == Reach.NONE) {
                assertThat(inside.getStatus().value()).as(user.getKey().name()).isEqualTo(403);
                assertThat(inside.getResponseBody()).doesNotContain("张秀英");
                continue;
            }
            assertThat(inside.getStatus().value()).as(user.getKey().name()).isEqualTo(200);
            assertThat(inside.getResponseBody()).contains("张秀英");
            assertThat(inside.getResponseBody().contains("13812345678")).as(user.getKey() + " sees the phone")
                    .isEqualTo(phones != Reach.NONE);
            // person 2 lives in grid 2: outside the grid worker's grid, and not the volunteer's to look after
            int outside = call(user.getValue(), reading("/api/persons/{id}", "/api/persons/2")).getStatus().value();
            boolean inScope = user.getKey() == Role.ADMIN || user.getKey() == Role.DISPATCHER;
            assertThat(outside).as(user.getKey() + " reading person 2").isEqualTo(inScope ? 200 : 404);
        }
    }
}
