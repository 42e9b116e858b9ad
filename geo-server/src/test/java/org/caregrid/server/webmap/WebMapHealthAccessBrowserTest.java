package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.caregrid.server.routing.NearestFacilityRefresher;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The planner's walking service areas and caregrid's own road layer in chromium, on the Monaco
 * fixture and road network. What the map draws is compared with what the API answers for the same
 * box. Screenshots go to target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections and its road network) after the class: test databases have few connection slots
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebMapHealthAccessBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "health_access_browser");
        registry.add("caregrid.home", () -> "target/test-home-health-access-browser");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    RoutingService routing;

    @Autowired
    NearestFacilityRefresher refresher;

    private WebDriver driver;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("planner", "PLANNER", "990101001000", null, null);
        MonacoRoads.awaitReady(routing);
        // the start-up refresh may have run before the fixture was loaded
        refresher.refresh();
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
    void thePlannerSeesServiceAreasAndTheBuildingsLeftOutside() throws Exception {
        logIn("planner");
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.choropleth")).size() > 0);
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.id("isochrones"))).click();
        WebElement note = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#iso-status[data-buildings]")));

        assertThat(driver.findElements(By.cssSelector("path.isochrone"))).hasSize(3);
        for (String minutes : List.of("5", "10", "15")) {
            assertThat(driver.findElements(By.cssSelector("path.isochrone-" + minutes))).hasSize(1);
        }
        String bbox = note.getAttribute("data-bbox");
        List<Map<String, Object>> outside = features(apiAs("planner", "/api/routing/outside-buildings?minutes=15&bbox=" + bbox));
        long apiTotal = outside.stream().mapToLong(f -> ((Number) ((Map<?, ?>) f.get("properties")).get("outside")).longValue()).sum();
        List<WebElement> markers = driver.findElements(By.cssSelector(".outside-marker [data-count]"));
        assertThat(markers).hasSize(outside.size()).isNotEmpty();
        assertThat(markers.stream().mapToLong(m -> Long.parseLong(m.getAttribute("data-count"))).sum()).isEqualTo(apiTotal);
        assertThat(note.getAttribute("data-persons")).isEqualTo(Long.toString(apiTotal));
        screenshot("planner-service-areas");

        driver.findElement(By.id("isochrones")).click();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.isochrone")).isEmpty());
        assertThat(driver.findElements(By.cssSelector(".outside-marker"))).isEmpty();
    }

    @Test
    @Order(2)
    void roadsAreDrawnFromTheRoadNetworkAtHighZoom() throws Exception {
        logIn("planner");
        WebElement map = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#map[data-zoom]")));
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.choropleth")).size() > 0);
        // the whole street is shown at first: too far out for roads
        assertThat(Integer.parseInt(map.getAttribute("data-zoom"))).isLessThan(15);
        assertThat(driver.findElements(By.cssSelector("path.road"))).isEmpty();
        while (Integer.parseInt(map.getAttribute("data-zoom")) < 16) {
            String before = map.getAttribute("data-zoom");
            driver.findElement(By.cssSelector(".leaflet-control-zoom-in")).click();
            Browser.patiently(driver).until(d -> !before.equals(map.getAttribute("data-zoom")));
        }
        // the last viewport's answer is the one drawn: wait until the drawing matches it
        Browser.patiently(driver).until(d -> map.getAttribute("data-roads-bbox") != null
                && Integer.toString(d.findElements(By.cssSelector("path.road")).size()).equals(map.getAttribute("data-roads")));
        String bbox = map.getAttribute("data-roads-bbox");
        Map<String, Object> roads = apiAs("planner", "/api/roads?bbox=" + bbox);
        int paths = driver.findElements(By.cssSelector("path.road")).size();
        assertThat(paths).isPositive().isEqualTo(features(roads).size());
        assertThat(roads.get("truncated")).isEqualTo(false);
        screenshot("planner-roads");
    }

    private Map<String, Object> apiAs(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> features(Map<String, Object> collection) {
        return (List<Map<String, Object>>) collection.get("features");
    }


    private void logIn(String username) {
        Browser.logIn(driver, "http://localhost:" + port, username, Fixtures.PASSWORD);
    }

    private void screenshot(String name) throws Exception {
        Browser.screenshot(driver, name);
    }
}
