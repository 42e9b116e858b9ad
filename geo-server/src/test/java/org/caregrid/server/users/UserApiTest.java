package org.caregrid.server.users;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The administrator's accounts on two grids (fixtures/two-grids.sql: community A holds grid 1, community
 * B grid 2, both in one street): created with exact stored values, changed with If-Match, disabled, with
 * passwords reset; each bad field named; an area's administrator held to that area; nobody else let in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class UserApiTest extends ServerTest {

    private static final String STREET = "510104020000";
    private static final String COMMUNITY_A = "510104020001";
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() { };

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "user_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        user("admin_a", "ADMIN", COMMUNITY_A, null, null);
        user("planner", "PLANNER", STREET, null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
    }

    private Map<String, Object> send(String user, String method, String uri, String json, String ifMatch, int status) {
        return client.method(HttpMethod.valueOf(method)).uri(uri).headers(h -> {
            h.setBasicAuth(user, Fixtures.PASSWORD);
            if (ifMatch != null) {
                h.setIfMatch(ifMatch);
            }
        }).contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isEqualTo(status).expectBody(MAP).returnResult().getResponseBody();
    }

    private int meStatus(String username, String password) {
        return client.get().uri("/api/me").headers(h -> h.setBasicAuth(username, password)).exchange()
                .returnResult(String.class).getStatus().value();
    }

    private long userCount() {
        return jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAdministratorCreatesAGridWorkerWhoLogsInWithTheOneTimePassword() {
        var answer = client.post().uri("/api/users").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"wang.wu\",\"displayName\":\"王五\",\"roles\":[\"GRID_WORKER\"],"
                        + "\"scopeGridId\":1,\"personId\":3,\"reason\":\"新网格员\"}")
                .exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/api/users/wang.wu")
                .expectHeader().valueEquals("ETag", "\"1\"")
                .expectBody(MAP).returnResult().getResponseBody();
        String password = (String) answer.get("oneTimePassword");
        assertThat(password).hasSize(16).matches("[A-Za-z2-9]+");
        assertThat(answer).containsEntry("username", "wang.wu").containsEntry("displayName", "王五")
                .containsEntry("roles", List.of("GRID_WORKER")).containsEntry("scopeGridId", 1).containsEntry("personId", 3)
                .containsEntry("enabled", true).containsEntry("version", 1).doesNotContainKeys("scopeAreaCode", "passwordHash");

        var stored = jdbc.sql("""
                SELECT username, display_name, array_to_string(roles, ','), scope_area_code, scope_grid_id, person_id,
                       enabled, version, password_hash FROM app_user WHERE username = 'wang.wu'""")
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getBoolean(7), rs.getInt(8), rs.getString(9)}).single();
        assertThat(java.util.Arrays.copyOf(stored, 8)).containsExactly("wang.wu", "王五", "GRID_WORKER", null, 1L, 3L, true, 1);
        assertThat(encoder.matches(password, (String) stored[8])).isTrue();

        assertThat(meStatus("wang.wu", password)).isEqualTo(200);
        String me = client.get().uri("/api/me").headers(h -> h.setBasicAuth("wang.wu", password)).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(me).contains("\"scopeType\":\"grid\"", "\"gridId\":1", "\"personId\":3");

        // the list never shows a password or its hash
        String list = client.get().uri("/api/users").headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(list).contains("\"username\":\"wang.wu\"").doesNotContain("oneTimePassword", "assword", "$2a$");

        long id = ((Number) answer.get("id")).longValue();
        List<Map<String, Object>> history = client.get().uri("/api/history?entity=user&id=" + id)
                .headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(LIST).returnResult().getResponseBody();
        assertThat(history).extracting(h -> h.get("action")).containsExactly("create");
        assertThat(history.get(0)).containsEntry("username", "admin").containsEntry("reason", "新网格员");
        assertThat((Map<String, Object>) history.get(0).get("after")).containsEntry("username", "wang.wu")
                .doesNotContainKey("password_hash");
    }

    @Test
    void aGivenPasswordIsStoredAndNeverEchoed() {
        Map<String, Object> answer = send("admin", "POST", "/api/users",
                "{\"username\":\"li.si\",\"roles\":[\"PLANNER\",\"DISPATCHER\"],\"scopeAreaCode\":\"" + STREET
                        + "\",\"password\":\"long-enough-9\"}", null, 201);
        assertThat(answer).doesNotContainKeys("oneTimePassword", "password", "displayName")
                .containsEntry("roles", List.of("PLANNER", "DISPATCHER")).containsEntry("scopeAreaCode", STREET);
        assertThat(meStatus("li.si", "long-enough-9")).isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void changesNeedTheCurrentVersionAndADisabledUserCannotLogIn() {
        send("admin", "POST", "/api/users", "{\"username\":\"zhao.liu\",\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\""
                + STREET + "\",\"password\":\"first-pass-1\"}", null, 201);
        var changed = client.patch().uri("/api/users/zhao.liu").headers(h -> {
            h.setBasicAuth("admin", Fixtures.PASSWORD);
            h.setIfMatch("\"1\"");
        }).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"roles\":[\"DISPATCHER\"],\"scopeAreaCode\":\"" + COMMUNITY_A + "\",\"displayName\":\"赵六\",\"reason\":\"调岗\"}")
                .exchange().expectStatus().isOk().expectHeader().valueEquals("ETag", "\"2\"")
                .expectBody(MAP).returnResult().getResponseBody();
        assertThat(changed).containsEntry("roles", List.of("DISPATCHER")).containsEntry("scopeAreaCode", COMMUNITY_A)
                .containsEntry("displayName", "赵六").containsEntry("version", 2).doesNotContainKey("oneTimePassword");

        // a stale version changes nothing
        send("admin", "PATCH", "/api/users/zhao.liu", "{\"roles\":[\"PLANNER\"]}", "\"1\"", 412);
        assertThat(jdbc.sql("SELECT array_to_string(roles, ',') || ' ' || scope_area_code || ' ' || version FROM app_user "
                + "WHERE username = 'zhao.liu'").query(String.class).single()).isEqualTo("DISPATCHER " + COMMUNITY_A + " 2");

        Map<String, Object> reset = send("admin", "PATCH", "/api/users/zhao.liu", "{\"resetPassword\":true}", "\"2\"", 200);
        String password = (String) reset.get("oneTimePassword");
        assertThat(password).hasSize(16);
        assertThat(meStatus("zhao.liu", "first-pass-1")).isEqualTo(401);
        assertThat(meStatus("zhao.liu", password)).isEqualTo(200);

        Map<String, Object> disabled = send("admin", "PATCH", "/api/users/zhao.liu", "{\"enabled\":false}", "\"3\"", 200);
        assertThat(disabled).containsEntry("enabled", false).containsEntry("version", 4);
        assertThat(meStatus("zhao.liu", password)).isEqualTo(401);
        assertThat(jdbc.sql("SELECT count(*) FROM app_user WHERE username = 'zhao.liu'").query(Long.class).single())
                .as("never deleted").isEqualTo(1);

        long id = ((Number) disabled.get("id")).longValue();
        List<Map<String, Object>> history = client.get().uri("/api/history?entity=user&id=" + id)
                .headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(LIST).returnResult().getResponseBody();
        assertThat(history).extracting(h -> h.get("action")).containsExactly("update", "update", "update", "create");
        assertThat(history.get(3).get("reason")).isNull();
        assertThat(history.get(2)).containsEntry("reason", "调岗");
        assertThat((Map<String, Object>) history.get(0).get("after")).containsEntry("enabled", false).doesNotContainKey("password_hash");
    }

    @Test
    void eachBadFieldIsNamedAndNothingIsStored() {
        long before = userCount();
        String ok = "\"username\":\"ok_name\",\"roles\":[\"PLANNER\"]";
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{\"username\":\"A B\",\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\"" + STREET + "\"}", "username");
        bodies.put("{\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\"" + STREET + "\"}", "username");
        bodies.put("{\"username\":\"admin\",\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\"" + STREET + "\"}", "username");
        bodies.put("{\"username\":\"ok_name\",\"roles\":[\"KING\"],\"scopeAreaCode\":\"" + STREET + "\"}", "roles");
        bodies.put("{\"username\":\"ok_name\",\"roles\":[],\"scopeAreaCode\":\"" + STREET + "\"}", "roles");
        bodies.put("{\"username\":\"ok_name\",\"scopeAreaCode\":\"" + STREET + "\"}", "roles");
        bodies.put("{\"username\":\"ok_name\",\"roles\":[\"GRID_WORKER\"],\"scopeAreaCode\":\"" + STREET + "\"}", "scopeGridId");
        bodies.put("{" + ok + "}", "scopeAreaCode");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"123\"}", "scopeAreaCode");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"510104020099\"}", "scopeAreaCode");
        bodies.put("{\"username\":\"ok_name\",\"roles\":[\"GRID_WORKER\"],\"scopeGridId\":999}", "scopeGridId");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"" + STREET + "\",\"scopeGridId\":1}", "scopeGridId");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"" + STREET + "\",\"password\":\"short\"}", "password");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"" + STREET + "\",\"password\":\"demo\"}", "password");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"" + STREET + "\",\"personId\":999}", "personId");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"" + STREET + "\",\"displayName\":\"" + "名".repeat(101) + "\"}", "displayName");
        bodies.put("{" + ok + ",\"scopeAreaCode\":\"" + STREET + "\",\"scopeGridId\":\"one\"}", "scopeGridId");
        bodies.forEach((body, field) -> assertThat(TokenApiTest.fields(send("admin", "POST", "/api/users", body, null, 400)))
                .as(body).contains(field));
        // every fault at once, not the first alone
        assertThat(TokenApiTest.fields(send("admin", "POST", "/api/users",
                "{\"username\":\"X\",\"roles\":[\"KING\"],\"password\":\"demo\"}", null, 400)))
                .contains("username", "roles", "password");
        assertThat(userCount()).isEqualTo(before);

        assertThat(TokenApiTest.fields(send("admin", "PATCH", "/api/users/planner", "{\"roles\":[\"KING\"]}", null, 400)))
                .containsExactly("roles");
        assertThat(TokenApiTest.fields(send("admin", "PATCH", "/api/users/planner", "{\"roles\":[\"GRID_WORKER\"]}", null, 400)))
                .containsExactly("scopeGridId");
        assertThat(TokenApiTest.fields(send("admin", "PATCH", "/api/users/admin", "{\"enabled\":false}", null, 400)))
                .containsExactly("enabled");
        assertThat(TokenApiTest.fields(send("admin", "PATCH", "/api/users/admin", "{\"roles\":[\"PLANNER\"]}", null, 400)))
                .contains("roles");
        send("admin", "PATCH", "/api/users/nobody", "{\"displayName\":\"x\"}", null, 404);
        assertThat(jdbc.sql("SELECT array_to_string(roles, ',') || enabled FROM app_user WHERE username IN ('planner', 'admin') "
                + "ORDER BY username").query(String.class).list()).containsExactly("ADMINtrue", "PLANNERtrue");
    }

    @Test
    void anAreaAdministratorManagesOnlyUsersInsideTheirArea() {
        send("admin_a", "POST", "/api/users", "{\"username\":\"a_planner\",\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\""
                + COMMUNITY_A + "\"}", null, 201);
        send("admin_a", "POST", "/api/users", "{\"username\":\"a_worker\",\"roles\":[\"GRID_WORKER\"],\"scopeGridId\":1}", null, 201);
        long before = userCount();
        assertThat(TokenApiTest.fields(send("admin_a", "POST", "/api/users",
                "{\"username\":\"b_worker\",\"roles\":[\"GRID_WORKER\"],\"scopeGridId\":2}", null, 400))).containsExactly("scopeGridId");
        assertThat(TokenApiTest.fields(send("admin_a", "POST", "/api/users",
                "{\"username\":\"s_planner\",\"roles\":[\"PLANNER\"],\"scopeAreaCode\":\"" + STREET + "\"}", null, 400)))
                .containsExactly("scopeAreaCode");
        assertThat(TokenApiTest.fields(send("admin_a", "POST", "/api/users",
                "{\"username\":\"super\",\"roles\":[\"ADMIN\"]}", null, 400))).containsExactly("scopeAreaCode");
        assertThat(userCount()).isEqualTo(before);

        List<Map<String, Object>> listed = client.get().uri("/api/users").headers(h -> h.setBasicAuth("admin_a", Fixtures.PASSWORD))
                .exchange().expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody();
        assertThat(listed).extracting(u -> u.get("username")).contains("admin_a", "a_planner", "a_worker", "worker_a")
                .doesNotContain("admin", "planner");
        send("admin_a", "PATCH", "/api/users/planner", "{\"displayName\":\"x\"}", null, 404);
        // nor may they move one of theirs out of their area
        assertThat(TokenApiTest.fields(send("admin_a", "PATCH", "/api/users/a_worker", "{\"scopeGridId\":2}", null, 400)))
                .containsExactly("scopeGridId");
    }

    @Test
    void onlyAdministratorsManageUsers() {
        long before = userCount();
        for (String user : List.of("planner", "worker_a")) {
            String refusal = client.get().uri("/api/users").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD)).exchange()
                    .expectStatus().isForbidden().expectBody(String.class).returnResult().getResponseBody();
            assertThat(refusal).contains("urn:caregrid:problem:forbidden");
            send(user, "POST", "/api/users", "{\"username\":\"sneaky\",\"roles\":[\"ADMIN\"]}", null, 403);
            send(user, "PATCH", "/api/users/" + user, "{\"roles\":[\"ADMIN\"]}", null, 403);
        }
        assertThat(userCount()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT array_to_string(roles, ',') FROM app_user WHERE username = 'worker_a'").query(String.class).single())
                .isEqualTo("GRID_WORKER");
    }
}
