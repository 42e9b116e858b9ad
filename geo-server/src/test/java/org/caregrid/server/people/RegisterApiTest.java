package org.caregrid.server.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Registering, editing and moving persons, and their key-person profiles, on two grids
 * (fixtures/two-grids.sql: grid 1 holds buildings 1 and 2, grid 2 building 3).
 */
// each test class has a database of its own: close the server after it, so that connections do not pile up
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class RegisterApiTest extends ServerTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "register_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("admin", "ADMIN", null, null, null);
        user("dispatcher", "DISPATCHER", "510104020000", null, null);
    }



    private List<Object> stored(long id) {
        return jdbc.sql("SELECT name, phone, building_id, unit_id, room, area_code, grid_id, version FROM person WHERE id = :id")
                .param("id", id).query((rs, n) -> List.<Object>of(rs.getString(1), String.valueOf(rs.getString(2)),
                        rs.getLong(3), String.valueOf(rs.getObject(4)), String.valueOf(rs.getString(5)), rs.getString(6),
                        rs.getLong(7), rs.getInt(8))).single();
    }

    @Test
    void aGridWorkerRegistersAPersonInTheirGridMovesThemAndMakesThemAKeyPerson() {
        Map<String, Object> saved = send("worker_a", HttpMethod.POST, "/api/persons",
                "{\"name\":\"赵桂兰\",\"phone\":\"13511112222\",\"buildingId\":1,\"unitId\":2,\"room\":\"402\",\"reason\":\"入户登记\"}",
                null, 201);
        long id = ((Number) saved.get("id")).longValue();
        assertThat(stored(id)).containsExactly("赵桂兰", "13511112222", 1L, "2", "402", "510104020001", 1L, 1);

        // moving house within the grid: building 2 has no units
        send("worker_a", HttpMethod.PATCH, "/api/persons/" + id, "{\"buildingId\":2,\"room\":\"101\"}", "\"2\"", 412);
        Map<String, Object> moved = send("worker_a", HttpMethod.PATCH, "/api/persons/" + id,
                "{\"buildingId\":2,\"room\":\"101\",\"reason\":\"搬家\"}", "\"1\"", 200);
        assertThat(moved).containsEntry("version", 2);
        assertThat(stored(id)).containsExactly("赵桂兰", "13511112222", 2L, "null", "101", "510104020001", 1L, 2);

        send("worker_a", HttpMethod.POST, "/api/key-persons",
                "{\"personId\":" + id + ",\"categories\":[\"elderly_alone\",\"chronic_condition\"],\"riskLevel\":\"high\","
                        + "\"needs\":[\"medicine_delivery\"],\"visitIntervalDays\":5}", null, 201);
        assertThat(jdbc.sql("SELECT array_to_string(categories, ','), risk_level, array_to_string(needs, ','), visit_interval_days "
                        + "FROM key_person WHERE person_id = :id").param("id", id)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4))).single())
                .containsExactly("elderly_alone,chronic_condition", "high", "medicine_delivery", 5);
        send("worker_a", HttpMethod.PATCH, "/api/key-persons/" + id, "{\"riskLevel\":\"medium\"}", "\"1\"", 200);

        List<Map<String, Object>> history = get("worker_a", "/api/history?entity=person&id=" + id).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        assertThat(history).extracting(h -> h.get("action")).containsExactly("update", "create");
        assertThat(history).extracting(h -> h.get("reason")).containsExactly("搬家", "入户登记");

        // found by name, by the phone's tail and by the room, with the phone in full for the grid worker
        for (String q : List.of("桂兰", "2222", "101")) {
            Map<String, Object> page = get("worker_a", "/api/persons?q=" + q).exchange().expectStatus().isOk()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            assertThat(items).extracting(i -> ((Number) i.get("id")).longValue()).as(q).contains(id);
        }
    }

    @Test
    void eachBadFieldIsNamedAndNothingIsStored() {
        long before = jdbc.sql("SELECT count(*) FROM person").query(Long.class).single();
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons", "{\"buildingId\":1}", null, 400))).isEqualTo("name");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons", "{\"name\":\"甲\"}", null, 400))).isEqualTo("buildingId");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons", "{\"name\":\"甲\",\"buildingId\":1,\"phone\":\"abc\"}", null, 400)))
                .isEqualTo("phone");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons", "{\"name\":\"甲\",\"buildingId\":1,\"gender\":\"x\"}", null, 400)))
                .isEqualTo("gender");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons", "{\"name\":\"甲\",\"buildingId\":1,\"birthDate\":\"1700-01-01\"}", null, 400)))
                .isEqualTo("birthDate");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/persons", "{\"name\":\"甲\",\"buildingId\":1,\"unitId\":3}", null, 400)))
                .isEqualTo("unitId");
        assertThat(firstField(send("worker_a", HttpMethod.POST, "/api/key-persons",
                "{\"personId\":3,\"categories\":[\"unlucky\"],\"riskLevel\":\"low\"}", null, 400))).isEqualTo("categories[0]");
        assertThat(jdbc.sql("SELECT count(*) FROM person").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void outsideTheGridNothingCanBeRegisteredOrChanged() {
        long before = jdbc.sql("SELECT count(*) FROM person").query(Long.class).single();
        send("worker_a", HttpMethod.POST, "/api/persons", "{\"name\":\"越界\",\"buildingId\":3}", null, 404);
        send("worker_a", HttpMethod.PATCH, "/api/persons/2", "{\"room\":\"1\"}", null, 404);
        send("worker_a", HttpMethod.PATCH, "/api/persons/1", "{\"buildingId\":3}", null, 404);
        send("dispatcher", HttpMethod.POST, "/api/persons", "{\"name\":\"调度\",\"buildingId\":1}", null, 403);
        assertThat(jdbc.sql("SELECT count(*) FROM person").query(Long.class).single()).isEqualTo(before);
        assertThat(stored(1).get(2)).isEqualTo(1L);
    }

    @Test
    void theUnitsOfABuildingOfTheCallersGridAreListedForTheRegistrationForm() {
        List<Map<String, Object>> units = get("worker_a", "/api/buildings/1/units").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { }).returnResult().getResponseBody();
        assertThat(units).extracting(u -> u.get("id"), u -> u.get("number"))
                .containsExactly(tuple(1, "1单元"), tuple(2, "2单元"));
        get("worker_a", "/api/buildings/2/units").exchange().expectStatus().isOk().expectBody().json("[]");
        // building 3 is in grid 2: not the caller's
        get("worker_a", "/api/buildings/3/units").exchange().expectStatus().isNotFound();
    }
}
