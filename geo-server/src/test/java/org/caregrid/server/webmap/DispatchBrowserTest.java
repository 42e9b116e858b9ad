package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dispatcher's screen and the grid worker's visit route in chromium, on the Monaco fixture and
 * the real Monaco road network. What the screens show is compared with what the API says.
 * Screenshots go to target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections and its road network) after the class: test databases have few connection slots
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatchBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "dispatch_browser");
        registry.add("caregrid.home", () -> "target/test-home-dispatch-browser");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    RoutingService routing;

    private WebDriver driver;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("dispatcher", "DISPATCHER", "990101001000", null, null);
        user("worker_g1", "GRID_WORKER", null, 1L, 9L);
        MonacoRoads.awaitReady(routing);
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    @Order(1)
    void theDispatcherOptimisesAndSeesNumberedRoutes() throws Exception {
        logIn("dispatcher");
        WebElement summary = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dr-summary[data-count]")));
        assertThat(summary.getAttribute("data-count")).isEqualTo("6");
        assertThat(driver.findElements(By.cssSelector("#dr-list li"))).hasSize(6);
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.request-marker")).size() == 6);

        new Select(driver.findElement(By.id("dr-urgency"))).selectByValue("urgent");
        Browser.patiently(driver).until(d -> "2".equals(d.findElement(By.id("dr-summary")).getAttribute("data-count")));
        new Select(driver.findElement(By.id("dr-urgency"))).selectByValue("");
        Browser.patiently(driver).until(d -> "6".equals(d.findElement(By.id("dr-summary")).getAttribute("data-count")));
        assertThat(driver.findElements(By.cssSelector("#dr-volunteers input:checked"))).hasSize(2);
        screenshot("dispatcher-requests");

        driver.findElement(By.id("optimise")).click();
        WebElement totals = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("plan-totals")));
        long planId = jdbc.sql("SELECT max(id) FROM route_plan").query(Long.class).single();
        Map<String, Object> plan = client.get().uri("/api/dispatch/plans/" + planId)
                .headers(h -> h.setBasicAuth("dispatcher", Fixtures.PASSWORD)).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        Map<?, ?> apiTotals = (Map<?, ?>) plan.get("plan");
        assertThat(totals.getAttribute("data-planned")).isEqualTo("5").isEqualTo(apiTotals.get("planned").toString());
        assertThat(totals.getAttribute("data-unassigned")).isEqualTo("1");
        int routes = ((Number) apiTotals.get("routes")).intValue();
        assertThat(totals.getAttribute("data-routes")).isEqualTo(Integer.toString(routes));
        assertThat(driver.findElements(By.cssSelector("path.route-line"))).hasSize(routes);
        assertThat(driver.findElements(By.cssSelector(".route-card"))).hasSize(routes);
        assertThat(driver.findElements(By.cssSelector("a.sheet-link"))).hasSize(routes);
        // stops numbered 1..n on each route: the numbers on the map are the deliveries of the plan
        List<String> numbers = driver.findElements(By.cssSelector(".stop-number")).stream().map(WebElement::getText).sorted().toList();
        assertThat(numbers).hasSize(5);
        assertThat(driver.findElements(By.cssSelector(".stop-number")).stream().filter(e -> e.getText().equals("1")).count())
                .isEqualTo(routes);
        assertThat(driver.findElement(By.cssSelector("#plan-unassigned li")).getText()).contains("#6", "not near a road");
        // the planned requests left the pending list; the one at sea is unservable now
        Browser.patiently(driver).until(d -> "0".equals(d.findElement(By.id("dr-summary")).getAttribute("data-count")));
        screenshot("dispatcher-plan");

        // move request 5 to the other volunteer by hand and re-optimise: it stays where it was put
        WebElement move = driver.findElement(By.cssSelector("select.move-to[data-request='5']"));
        Select choice = new Select(move);
        choice.selectByIndex(1);
        String chosen = choice.getFirstSelectedOption().getAttribute("value");
        driver.findElement(By.id("reoptimise")).click();
        String oldPlan = Long.toString(planId);
        // the result panel is rebuilt while we look: a vanished element just means "look again"
        Browser.patiently(driver).ignoring(StaleElementReferenceException.class)
                .until(d -> !oldPlan.equals(d.findElement(By.id("plan-totals")).getAttribute("data-plan")));
        assertThat(driver.findElement(By.cssSelector(".route-card[data-volunteer='" + chosen + "'] li[data-request='5']")))
                .isNotNull();
        assertThat(driver.findElement(By.id("plan-totals")).getAttribute("data-planned")).isEqualTo("5");
        assertThat(jdbc.sql("SELECT status FROM route_plan WHERE id = :p").param("p", planId).query(String.class).single())
                .isEqualTo("cancelled");
        screenshot("dispatcher-replanned");

        // published to the volunteers: the requests are assigned, each stop shows where it stands
        long replanned = Long.parseLong(driver.findElement(By.id("plan-totals")).getAttribute("data-plan"));
        driver.findElement(By.id("publish-plan")).click();
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#plan-status[data-status=published]")));
        assertThat(driver.findElements(By.cssSelector(".route-delivery[data-state=pending]"))).hasSize(5);
        assertThat(jdbc.sql("SELECT status FROM route_plan WHERE id = :p").param("p", replanned).query(String.class).single())
                .isEqualTo("published");
        screenshot("dispatcher-published");
    }

    @Test
    @Order(2)
    void theGridWorkerPlansTheirVisitRoute() throws Exception {
        logIn("worker_g1");
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.id("plan-tour"))).click();
        WebElement summary = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tour-summary[data-stops]")));
        assertThat(summary.getAttribute("data-stops")).isEqualTo("4");
        assertThat(driver.findElements(By.cssSelector("#tour-list li"))).hasSize(4);
        assertThat(driver.findElements(By.cssSelector(".tour-number")).stream().map(WebElement::getText).toList())
                .containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(driver.findElements(By.cssSelector("path.tour-line"))).hasSize(1);
        screenshot("grid-worker-visit-route");
    }


    private void logIn(String username) {
        Browser.logIn(driver, "http://localhost:" + port, username, Fixtures.PASSWORD);
    }

    private void screenshot(String name) throws Exception {
        Browser.screenshot(driver, name);
    }
}
