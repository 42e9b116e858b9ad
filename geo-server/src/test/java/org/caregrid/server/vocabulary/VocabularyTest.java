package org.caregrid.server.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One vocabulary: every enum equals the check list of its schema column, read back from the
 * database (so that a migration that changes a list fails here), and every term has words in
 * zh-CN and English. The coverage thresholds are set away from their defaults to see the metric
 * words follow them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"caregrid.mode=test",
        "caregrid.coverage.pharmacy-max-walk-minutes=20", "caregrid.coverage.reserve-per-regular-worker=4",
        "caregrid.coverage.micro-organisations-per-community=6"})
// closes the server (its connections) after the class: test databases have few connection slots
@DirtiesContext
class VocabularyTest extends ServerTest {

    private static final ParameterizedTypeReference<Map<String, List<Map<String, String>>>> LISTS =
            new ParameterizedTypeReference<>() { };
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "vocabulary");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
    }

    /** The values a column's own check constraint allows, in the order the schema lists them. */
    private List<String> checkList(String table, String column) {
        String definition = jdbc.sql("""
                        SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
                         WHERE c.conrelid = CAST(:table AS regclass) AND c.contype = 'c' AND c.conname = :name
                        """)
                .param("table", table).param("name", table + "_" + column + "_check")
                .query(String.class).single();
        List<String> values = new ArrayList<>();
        Matcher m = QUOTED.matcher(definition);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    @Test
    void everyEnumEqualsItsColumnsCheckList() {
        for (Vocabulary v : Vocabulary.values()) {
            assertThat(v.codes()).as(v.table() + "." + v.column()).isEqualTo(checkList(v.table(), v.column()));
        }
        // other columns that take the same lists
        assertThat(Vocabulary.NEEDS.codes()).isEqualTo(checkList("visit", "needs_found"));
        assertThat(Vocabulary.TRAVEL_MODES.codes()).isEqualTo(checkList("route", "profile"))
                .isEqualTo(checkList("nearest_facility", "profile"))
                .isEqualTo(Arrays.stream(org.caregrid.routing.TravelMode.values())
                        .map(org.caregrid.routing.TravelMode::profileName).toList());
        assertThat(checkList("key_person", "needs")).containsExactly("medicine_delivery", "meal_ordering", "shopping",
                "companionship", "psychological_support", "medical_referral", "garbage_pickup", "homework_help");
    }

    private Map<String, List<Map<String, String>>> vocabulary(String user, String language) {
        return client.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/api/vocabulary")
                .headers(h -> {
                    h.setBasicAuth(user, Fixtures.PASSWORD);
                    if (language != null) {
                        h.set("Accept-Language", language);
                    }
                })
                .exchange().expectStatus().isOk().expectBody(LISTS).returnResult().getResponseBody();
    }

    private static List<String> labels(List<Map<String, String>> terms) {
        return terms.stream().map(t -> t.get("label")).toList();
    }

    @Test
    void listsInChineseByDefault() {
        Map<String, List<Map<String, String>>> zh = vocabulary("worker_a", null);
        assertThat(zh.keySet()).containsExactly("needs", "categories", "riskLevels", "visitMethods", "facilityKinds",
                "teams", "travelModes", "reserveTiers", "assignmentRoles", "userRoles", "deliveryUrgencies",
                "deliveryStatuses", "closingReasons", "needStatuses", "supplyProviders", "calloutStatuses");
        assertThat(labels(zh.get("closingReasons"))).containsExactly("死亡", "迁出");
        assertThat(labels(zh.get("calloutStatuses"))).containsExactly("招募中", "已满员", "已结束");
        assertThat(labels(zh.get("needStatuses"))).containsExactly("待接单", "已接单", "已办结", "已上报街道");
        assertThat(zh.get("needs").get(0)).containsExactlyInAnyOrderEntriesOf(
                Map.of("code", "medicine_delivery", "label", "送药到户"));
        assertThat(labels(zh.get("needs"))).containsExactly(
                "送药到户", "用餐代订", "物资代购", "陪护照看", "心理疏导", "急诊转运", "上门清运", "课业辅导");
        assertThat(labels(zh.get("visitMethods"))).containsExactly("上门", "电话", "短信", "微信");
        assertThat(labels(zh.get("riskLevels"))).containsExactly("低", "中", "高");
        assertThat(labels(zh.get("facilityKinds"))).containsExactly("药店", "诊所", "村卫生室", "社区卫生服务中心", "医院",
                "社工站", "志愿服务站", "社区办公室");
        assertThat(zh.get("userRoles").get(3)).containsExactlyInAnyOrderEntriesOf(
                Map.of("code", "GRID_WORKER", "label", "网格员"));
        // a French browser gets the default language too
        assertThat(vocabulary("admin", "fr-FR")).isEqualTo(zh);
        for (Vocabulary v : Vocabulary.values()) {
            assertThat(zh.get(v.key())).extracting(t -> t.get("code")).isEqualTo(v.codes());
            assertThat(labels(zh.get(v.key()))).as(v.key()).allMatch(label -> label.matches(".*\\p{IsHan}.*"));
        }
    }

    @Test
    void listsInEnglishOnRequest() {
        Map<String, List<Map<String, String>>> en = vocabulary("admin", "en-GB,en;q=0.8,zh-CN;q=0.5");
        assertThat(labels(en.get("needs"))).containsExactly("Medicine delivery", "Meal ordering", "Shopping",
                "Companionship and care", "Psychological support", "Emergency transfer", "Garbage pick-up", "Homework help");
        assertThat(labels(en.get("visitMethods"))).containsExactly("Door-to-door", "Phone", "SMS", "WeChat");
        assertThat(labels(en.get("deliveryStatuses"))).containsExactly(
                "Pending", "Planned", "Assigned", "In progress", "Delivered", "Failed", "Cancelled", "Cannot be served");
        for (Vocabulary v : Vocabulary.values()) {
            assertThat(en.get(v.key())).extracting(t -> t.get("code")).isEqualTo(v.codes());
            assertThat(labels(en.get(v.key()))).as(v.key()).allMatch(label -> label.matches("[ -~]+"));
        }
    }

    @Test
    void theVocabularyNeedsALogIn() {
        client.get().uri("/api/vocabulary").exchange().expectStatus().isUnauthorized();
    }

    private Map<String, Map<String, Object>> metrics(String language) {
        List<Map<String, Object>> list = client.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/api/coverage/metrics")
                .headers(h -> {
                    h.setBasicAuth("admin", Fixtures.PASSWORD);
                    h.set("Accept-Language", language);
                })
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
        return list.stream().collect(java.util.stream.Collectors.toMap(m -> (String) m.get("id"), m -> m));
    }

    @Test
    void metricWordsCarryTheConfiguredNumbers() {
        Map<String, Map<String, Object>> zh = metrics("zh-CN");
        assertThat(zh.get("pharmacy-access")).containsEntry("name", "20分钟就医购药可达率").containsEntry("threshold", 20.0)
                .containsEntry("itemTarget", "步行20分钟内到达药店、诊所或卫生服务中心");
        assertThat(zh.get("reserve")).containsEntry("itemTarget", "机动力量不少于常态力量×配比(1:4)");
        assertThat(zh.get("community-organisations")).containsEntry("itemTarget", "每个社区不少于6个微组织");
        assertThat(zh.get("compound-organisations")).containsEntry("itemTarget", "每个小区至少1个微组织");
        assertThat(zh.get("responsible-distance")).containsEntry("itemTarget", "包保责任人住在步行1000米内");
        assertThat(zh.get("needs-open")).containsEntry("itemTarget", "需求待接单不超过7天").containsEntry("threshold", 7);

        Map<String, Map<String, Object>> en = metrics("en");
        assertThat(en.get("pharmacy-access")).containsEntry("name", "20-minute access to medicine")
                .containsEntry("itemTarget", "A pharmacy, clinic or health centre within 20 minutes on foot");
        assertThat(en.get("community-organisations"))
                .containsEntry("itemTarget", "At least 6 micro-organisations per community");
    }
}
