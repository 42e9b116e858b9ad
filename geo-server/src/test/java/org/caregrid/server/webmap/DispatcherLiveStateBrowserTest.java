package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.caregrid.server.config.Today;
import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dispatcher's live state of a published plan ({@link TodaysRoute}: volunteer 3's two deliveries, to
 * 李建国 in B1栋 and person 4 in A2栋): the state answer (pending, scoped, 304 when unchanged, logged only
 * when it tells something), then two chromium sessions side by side, the volunteer's phone marking both
 * stops delivered and the dispatcher's screen, opened before, showing both delivered and "2 / 2" without
 * being reloaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server after the class: test databases have few connection slots
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatcherLiveStateBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "dispatcher_live_state");
        registry.add("caregrid.home", () -> "target/test-home-dispatcher-live-state");
    }

    @Autowired
    Today today;

    private TodaysRoute route;
    private long secondStopId;
    private WebDriver phone;
    private WebDriver desk;

    @BeforeAll
    void fixtureAndBrowsers() throws Exception {
        route = TodaysRoute.load(dataSource, jdbc, encoder, today.date());
        secondStopId = jdbc.sql("SELECT id FROM route_stop WHERE kind = 'delivery' AND id <> :s")
                .param("s", route.firstStopId()).query(Long.class).single();
        // 甲社区 only: the plan names 李建国 of 乙社区, so this dispatcher does not see it
        user("dispatcher_a", "DISPATCHER", "510104020001", null, null);
        phone = Browser.start(390, 844);
        desk = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowsers() {
        if (phone != null) {
            phone.quit();
        }
        if (desk != null) {
            desk.quit();
        }
    }

    private Map<String, Object> state() {
        return get("dispatcher", "/api/dispatch/plans/" + route.planId() + "/state").exchange().expectStatus().isOk()
                .expectHeader().valueMatches("ETag", "\"[0-9a-f]{24}\"")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private long stateReads() {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE username = 'dispatcher' AND endpoint = :e")
                .param("e", "/api/dispatch/plans/" + route.planId() + "/state").query(Long.class).single();
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void aPublishedPlansStateIsPendingScopedAndUnchangedCosts304WithoutALogLine() {
        send("dispatcher", HttpMethod.POST, "/api/dispatch/plans/" + route.planId() + "/publish", "{}", "\"1\"", 200);
        Map<String, Object> state = state();
        assertThat(state).containsEntry("planId", (int) route.planId()).containsEntry("status", "published");
        assertThat((List<Map<String, Object>>) state.get("stops")).extracting(s -> s.get("stopId"), s -> s.get("state"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple((int) route.firstStopId(), "pending"),
                        org.assertj.core.groups.Tuple.tuple((int) secondStopId, "pending"));
        assertThat((List<Map<String, Object>>) state.get("routes")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("done", 0).containsEntry("total", 2));
        // no names in it: the screen has them from the plan
        assertThat(state.toString()).doesNotContain("李建国");
        assertThat(stateReads()).isEqualTo(1L);

        String etag = get("dispatcher", "/api/dispatch/plans/" + route.planId() + "/state").exchange()
                .returnResult(String.class).getResponseHeaders().getETag();
        client.get().uri("/api/dispatch/plans/" + route.planId() + "/state")
                .headers(h -> {
                    h.setBasicAuth("dispatcher", Fixtures.PASSWORD);
                    h.setIfNoneMatch(etag);
                }).exchange().expectStatus().isNotModified().expectHeader().valueEquals("ETag", etag);
        assertThat(stateReads()).isEqualTo(2L);

        get("dispatcher_a", "/api/dispatch/plans/" + route.planId() + "/state").exchange().expectStatus().isNotFound();
        get("volunteer_3", "/api/dispatch/plans/" + route.planId() + "/state").exchange().expectStatus().isForbidden();
        // today's plans: this one, published, none done yet; the other dispatcher has none
        get("dispatcher", "/api/dispatch/plans").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].planId").isEqualTo((int) route.planId())
                .jsonPath("$[0].status").isEqualTo("published").jsonPath("$[0].done").isEqualTo(0)
                .jsonPath("$[0].total").isEqualTo(2);
        get("dispatcher_a", "/api/dispatch/plans").exchange().expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
        get("dispatcher", "/api/dispatch/plans?date=yesterday").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("date");
    }

    private String nextAddress() {
        return phone.findElement(By.id("next-address")).getText();
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void theVolunteerDeliversTwoStopsAndTheDispatchersOpenScreenShowsBothDeliveredWithoutAReload() throws Exception {
        Browser.logIn(desk, "http://localhost:" + port, "dispatcher", Fixtures.PASSWORD);
        Browser.patiently(desk).until(d -> d.findElements(By.cssSelector("#plans-today option")).size() == 2);
        new Select(desk.findElement(By.id("plans-today"))).selectByValue(Long.toString(route.planId()));
        WebElement progress = Browser.patiently(desk).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".route-progress")));
        assertThat(progress.getText()).isEqualTo("完成 0 / 2");
        assertThat(desk.findElements(By.cssSelector(".route-delivery[data-state=pending]"))).hasSize(2);
        assertThat(desk.findElements(By.cssSelector(".stop-number[data-state=pending]"))).hasSize(2);
        assertThat(desk.findElement(By.id("plan-result")).getAttribute("data-live")).isEqualTo("on");
        // a mark on the page that a reload would wipe
        ((JavascriptExecutor) desk).executeScript("window.caregridNotReloaded = true;");

        Browser.logIn(phone, "http://localhost:" + port, "volunteer_3", Fixtures.PASSWORD);
        Browser.patiently(phone).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#route-summary[data-state=active]")));
        phone.findElement(By.cssSelector("button[data-outcome=picked_up]")).click();
        Browser.patiently(phone).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("B1栋"));
        phone.findElement(By.cssSelector("button[data-outcome=delivered]")).click();
        Browser.patiently(phone).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("A2栋"));
        phone.findElement(By.cssSelector("button[data-outcome=delivered]")).click();
        Browser.patiently(phone).until(d -> jdbc.sql("SELECT count(*) FROM stop_outcome WHERE outcome = 'delivered'")
                .query(Long.class).single() == 2L);

        Browser.patiently(desk).ignoring(StaleElementReferenceException.class)
                .until(d -> "完成 2 / 2".equals(d.findElement(By.cssSelector(".route-progress")).getText()));
        WebElement done = desk.findElement(By.cssSelector(".route-progress"));
        assertThat(done.getAttribute("data-done")).isEqualTo("2");
        assertThat(done.getAttribute("data-total")).isEqualTo("2");
        assertThat(desk.findElements(By.cssSelector(".route-delivery[data-state=delivered]"))).hasSize(2);
        assertThat(desk.findElements(By.cssSelector(".route-delivery[data-state=delivered] .stop-state")))
                .extracting(WebElement::getText).containsExactly("已送达", "已送达");
        // the numbered markers stay numbered, now in the delivered colour
        List<WebElement> markers = desk.findElements(By.cssSelector(".stop-number[data-state=delivered]"));
        assertThat(markers).extracting(WebElement::getText).containsExactlyInAnyOrder("1", "2");
        assertThat(markers.get(0).getCssValue("background-color")).isEqualTo("rgba(46, 125, 50, 1)");
        // the last stop finished the route and the plan: the screen says so and stops asking
        Browser.patiently(desk).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#plan-status[data-status=done]")));
        assertThat(desk.findElement(By.id("plan-result")).getAttribute("data-live")).isEqualTo("off");
        assertThat(((JavascriptExecutor) desk).executeScript("return window.caregridNotReloaded === true;")).isEqualTo(true);
        assertThat(new Select(desk.findElement(By.id("plans-today"))).getFirstSelectedOption().getText())
                .isEqualTo("#" + route.planId() + " · 已完成 · 完成 2 / 2");
        Browser.screenshot(desk, "dispatcher-live-state");

        Map<String, Object> state = state();
        assertThat((List<Map<String, Object>>) state.get("stops")).extracting(s -> s.get("state"), s -> s.get("at") != null)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("delivered", true),
                        org.assertj.core.groups.Tuple.tuple("delivered", true));
        assertThat(state).containsEntry("status", "done");
    }
}
