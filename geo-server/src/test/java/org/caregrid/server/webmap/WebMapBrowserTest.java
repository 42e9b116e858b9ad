package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.caregrid.server.support.Browser;
import org.caregrid.server.support.MvtReader;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web map in Debian's chromium against the server on the demo district, as the grid worker,
 * the planner and the dispatcher use it. What the screens show is compared with what the API says.
 * Screenshots go to target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=demo")
class WebMapBrowserTest extends ServerTest {

    private static final String XSS_NAME = "<img src=x onerror=alert(1)>";

    static {
        // every request the browser makes, in the test output: what a failed page load waited for
        System.setProperty("reactor.netty.http.server.accessLogEnabled", "true");
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "web_map");
    }

    private WebDriver driver;

    @BeforeAll
    void browserAndAHostileName() throws Exception {
        // a resident whose name came from an imported file: it must show as text
        jdbc.sql("""
                WITH home AS (SELECT b.id AS building_id, b.area_code, b.grid_id, b.entrance FROM building b
                               WHERE b.grid_id = (SELECT min(id) FROM grid) ORDER BY b.id LIMIT 1),
                     p AS (INSERT INTO person (name, building_id, area_code, grid_id, location)
                           SELECT :name, building_id, area_code, grid_id, entrance FROM home RETURNING id)
                INSERT INTO key_person (person_id, categories, risk_level, registered_on)
                SELECT id, ARRAY['elderly_alone'], 'high', current_date - 30 FROM p
                """).param("name", XSS_NAME).update();
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }


    private void logIn(String username) {
        Browser.logIn(driver, "http://localhost:" + port, username, "demo");
    }

    private void screenshot(String name) throws Exception {
        Browser.screenshot(driver, name);
    }

    private Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    private Map<String, Object> apiAs(String user, String uri) {
        return client.get().uri(uri).headers(h -> h.setBasicAuth(user, "demo")).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
    }

    private long gridWorkersGrid() {
        return jdbc.sql("SELECT scope_grid_id FROM app_user WHERE username = 'gridworker'").query(Long.class).single();
    }

    /** The key persons the grid worker should see: due within 3 days or overdue, per the API. */
    @SuppressWarnings("unchecked")
    private long[] dueAndOverdue() {
        long grid = gridWorkersGrid();
        List<Map<String, Object>> items = (List<Map<String, Object>>) apiAs("gridworker",
                "/api/coverage/visits?grid=" + grid + "&status=all&size=2000").get("items");
        long shown = items.stream().filter(i -> i.get("value") != null && ((Number) i.get("value")).doubleValue() >= -3).count();
        long overdue = items.stream().filter(i -> i.get("value") != null && ((Number) i.get("value")).doubleValue() > 0).count();
        return new long[] {shown, overdue};
    }

    @Test
    void theGridWorkerAppointsABuildingHeadAndTheBuildingTurnsGreen() throws Exception {
        // the demo heads every building: one of the grid's buildings loses its head, so there is a gap to close
        jdbc.sql("""
                DELETE FROM role_assignment WHERE id = (
                  SELECT r.id FROM role_assignment r JOIN building b ON b.id = r.scope_building_id
                   WHERE r.role = 'building_head' AND b.grid_id = :grid ORDER BY b.id LIMIT 1)
                """).param("grid", gridWorkersGrid()).update();
        driver.manage().window().setSize(new Dimension(1280, 900));
        logIn("gridworker");
        WebElement gaps = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#head-gaps[data-gaps]")));
        long before = Long.parseLong(gaps.getAttribute("data-gaps"));
        assertThat(before).as("the grid has a building without a head").isPositive();
        String red = "path.building[stroke='#c62828']";
        long buildings = jdbc.sql("SELECT count(*) FROM building WHERE grid_id = :g").param("g", gridWorkersGrid())
                .query(Long.class).single();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.building")).size() == buildings);
        int redBefore = driver.findElements(By.cssSelector(red)).size();
        assertThat(redBefore).isPositive();

        // Leaflet finds the layer from the event's target: a click dispatched on the path opens its card
        script("document.querySelector(\"" + red + "\").dispatchEvent(new MouseEvent('click', {bubbles: true}))");
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#candidates button.appoint"))).click();
        Browser.patiently(driver).until(d -> d.findElement(By.id("head-gaps")).getAttribute("data-gaps").equals(Long.toString(before - 1)));
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector(red)).size() == redBefore - 1);
        assertThat(driver.findElement(By.cssSelector("#building-card [role=status]")).getText()).contains("已任命");
        screenshot("grid-worker-appointed");
    }

    @Test
    void theGridWorkerSeesTheirGridAndARecordedVisitLowersTheOverdueCount() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 900));
        logIn("gridworker");
        WebElement summary = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#kp-summary[data-shown]")));
        long[] expected = dueAndOverdue();
        assertThat(expected[1]).as("the demo has overdue key persons in the first grid").isPositive();
        assertThat(summary.getAttribute("data-shown")).isEqualTo(Long.toString(expected[0]));
        assertThat(summary.getAttribute("data-overdue")).isEqualTo(Long.toString(expected[1]));
        assertThat(driver.findElements(By.cssSelector("#kp-list li"))).hasSize((int) expected[0]);
        // the grid's buildings, as many as the database holds, and no other grid's
        long buildings = jdbc.sql("SELECT count(*) FROM building WHERE grid_id = :g").param("g", gridWorkersGrid())
                .query(Long.class).single();
        assertThat(buildings).isPositive();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.building")).size() == buildings);

        // the hostile name shows as text and runs nothing
        WebElement hostile = driver.findElements(By.cssSelector("#kp-list .kp-name")).stream()
                .filter(e -> e.getText().equals(XSS_NAME)).findFirst().orElseThrow();
        assertThat(hostile.getText()).isEqualTo(XSS_NAME);
        assertThat(driver.findElements(By.cssSelector("img[src='x']"))).isEmpty();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        screenshot("grid-worker");

        // open the most overdue person's card and record a door-to-door visit
        WebElement mostOverdue = driver.findElement(By.cssSelector("#kp-list li.overdue"));
        long person = Long.parseLong(mostOverdue.getAttribute("data-person"));
        mostOverdue.findElement(By.cssSelector("button")).click();
        // the card lists the person's unresolved needs from the needs list, one "（状态，n天）" each
        long unresolved = jdbc.sql("SELECT count(*) FROM need WHERE key_person_id = :p AND status <> 'done'")
                .param("p", person).query(Long.class).single();
        String needs = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("kp-open-needs"))).getText();
        assertThat(needs).startsWith("需求清单: ");
        assertThat(needs.split("天）", -1).length - 1).isEqualTo((int) unresolved);
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.id("record-visit"))).click();
        new Select(driver.findElement(By.cssSelector("#visit-form select[name=method]"))).selectByValue("door");
        driver.findElement(By.cssSelector("#visit-form textarea[name=findings]")).sendKeys("身体良好");
        screenshot("grid-worker-visit-form");
        driver.findElement(By.cssSelector("#visit-form button[type=submit]")).click();
        String fewer = Long.toString(expected[1] - 1);
        Browser.patiently(driver).until(d -> fewer.equals(d.findElement(By.id("kp-summary")).getAttribute("data-overdue")));
        assertThat(dueAndOverdue()[1]).isEqualTo(expected[1] - 1);
    }

    @Test
    void theGridWorkerClosesADeceasedPersonWhoLeavesTheOverdueList() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 900));
        logIn("gridworker");
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#kp-summary[data-shown]")));
        long[] expected = dueAndOverdue();
        WebElement overdue = driver.findElements(By.cssSelector("#kp-list li.overdue")).stream()
                .filter(e -> !e.findElement(By.cssSelector(".kp-name")).getText().equals(XSS_NAME)).findFirst().orElseThrow();
        long person = Long.parseLong(overdue.getAttribute("data-person"));
        // the demo registers its key persons on the day it is loaded: a closing may not go back before that
        jdbc.sql("UPDATE key_person SET registered_on = current_date - 365 WHERE person_id = :id").param("id", person).update();
        overdue.findElement(By.cssSelector("button")).click();
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.id("close-person"))).click();
        new Select(driver.findElement(By.cssSelector("#close-form select[name=reason]"))).selectByValue("deceased");
        // died yesterday (in Chengdu): from today on they are no longer overdue
        String yesterday = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(1).toString();
        script("const on = document.querySelector('#close-form input[name=on]'); on.value = '" + yesterday + "';"
                + "on.dispatchEvent(new Event('input', {bubbles: true}));");
        driver.findElement(By.cssSelector("#close-form input[name=note]")).sendKeys("家属告知");
        screenshot("grid-worker-close-form");
        driver.findElement(By.cssSelector("#close-form button[type=submit]")).click();
        String fewer = Long.toString(expected[1] - 1);
        Browser.patiently(driver).until(d -> fewer.equals(d.findElement(By.id("kp-summary")).getAttribute("data-overdue")));
        assertThat(driver.findElements(By.cssSelector("#kp-list li[data-person='" + person + "']"))).isEmpty();
        assertThat(jdbc.sql("SELECT closed_on || ' ' || closed_reason FROM person WHERE id = :id").param("id", person)
                .query(String.class).single()).isEqualTo(yesterday + " deceased");
    }

    @Test
    void thePhoneSizedGridWorkerScreenNeedsNoSidewaysScrolling() throws Exception {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            logIn("gridworker");
            Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#kp-summary[data-shown]")));
            long scrollWidth = ((Number) script("return document.documentElement.scrollWidth")).longValue();
            long innerWidth = ((Number) script("return window.innerWidth")).longValue();
            assertThat(scrollWidth).isLessThanOrEqualTo(innerWidth);
            screenshot("grid-worker-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    void thePlannersOverviewDrawsEveryBuildingOfItsVectorTiles() throws Exception {
        // the summary has loaded, so the map has fitted the planner's street (small enough for zoom 16 in the demo)
        WebElement map = plannersMapWithTheSummary();
        // out to the overview, where buildings no longer come as GeoJSON; every tile of that view is drawn
        zoomOutTo(map, 13);
        waitForTiles(map, "", "tile-buildings");
        assertThat(Integer.parseInt(map.getAttribute("data-zoom"))).as("an overview, below the GeoJSON buildings").isLessThan(15);
        screenshot("planner-building-tiles");

        // the same tiles, fetched as the planner and read by the tests' own decoder: the page drew every building in them
        java.util.Set<Long> inTiles = new java.util.HashSet<>();
        for (String key : map.getAttribute("data-tile-keys").split(",")) {
            String[] zxy = key.split("/");
            byte[] tile = client.get().uri("/ogc/collections/buildings/tiles/WebMercatorQuad/" + zxy[0] + "/" + zxy[2] + "/" + zxy[1])
                    .headers(h -> h.setBasicAuth("planner", "demo")).exchange().expectStatus().isOk()
                    .expectBody(byte[].class).returnResult().getResponseBody();
            if (tile != null) { // an empty tile has an empty body
                MvtReader.layers(tile).values().forEach(layer -> layer.features().forEach(f -> inTiles.add(f.id())));
            }
        }
        assertThat(inTiles).isNotEmpty();
        assertThat(map.getAttribute("data-tile-buildings")).isEqualTo(Integer.toString(inTiles.size()));
        // and only the planner's own: every one of them lies in the planner's area
        long inArea = jdbc.sql("""
                SELECT count(*) FROM building b
                  JOIN app_user u ON u.username = 'planner'
                  JOIN admin_area a ON a.code = u.scope_area_code
                 WHERE starts_with(b.area_code, area_code_prefix(a.code, a.level)) AND b.id = ANY (:ids)
                """).param("ids", inTiles.toArray(Long[]::new)).query(Long.class).single();
        assertThat(inArea).isEqualTo(inTiles.size());
    }

    /** Clicks the zoom-out button until the map is at {@code zoom} or further out. */
    private void zoomOutTo(WebElement map, int zoom) {
        while (Integer.parseInt(map.getAttribute("data-zoom")) > zoom) {
            String before = map.getAttribute("data-zoom");
            driver.findElement(By.cssSelector(".leaflet-control-zoom-out")).click();
            Browser.patiently(driver).until(d -> !before.equals(map.getAttribute("data-zoom")));
        }
    }

    /**
     * Waits until every tile of the view of one tile layer (its counters' prefix: "", "grid-", "coverage-") is
     * in and drawn, and no tile of another zoom is left; the tiles as {z, x, y}.
     */
    private List<int[]> waitForTiles(WebElement map, String prefix, String featureCounter) {
        String loaded = "data-" + prefix + "tiles-loaded";
        String keys = "data-" + prefix + "tile-keys";
        Browser.patiently(driver).withMessage(() -> "the map said: zoom " + map.getAttribute("data-zoom") + ", tiles loaded "
                + map.getAttribute(loaded) + ", tiles " + map.getAttribute(keys) + ", features "
                + map.getAttribute("data-" + featureCounter) + "; the console said:\n" + Browser.console(driver))
                .until(d -> !d.findElements(By.cssSelector("#gap-table tbody tr")).isEmpty()
                && map.getAttribute(loaded) != null && map.getAttribute(keys) != null
                && java.util.Arrays.stream(map.getAttribute(keys).split(","))
                        .allMatch(key -> key.startsWith(map.getAttribute("data-zoom") + "/")));
        return java.util.Arrays.stream(map.getAttribute(keys).split(","))
                .map(key -> java.util.Arrays.stream(key.split("/")).mapToInt(Integer::parseInt).toArray()).toList();
    }

    /**
     * The grids of the planner's area that the tiles hold, as the server cuts them (the tile with its 64/4096
     * buffer), and that meet {@code condition}.
     */
    private long plannersGridsIn(List<int[]> tiles, String condition) {
        String envelopes = String.join(" OR ", tiles.stream().map(t -> "ST_Intersects(ST_Transform(g.geom, 3857), "
                + "ST_TileEnvelope(" + t[0] + ", " + t[1] + ", " + t[2] + ", margin => 64.0 / 4096))").toList());
        return jdbc.sql("""
                SELECT count(*) FROM grid g
                  JOIN app_user u ON u.username = 'planner'
                  JOIN admin_area a ON a.code = u.scope_area_code
                 WHERE starts_with(g.community_code, area_code_prefix(a.code, a.level)) AND (%s) AND %s
                """.formatted(envelopes, condition)).query(Long.class).single();
    }

    /** How many requests the page made to paths containing {@code path}. */
    private long requestsTo(String path) {
        return ((Number) script("return performance.getEntriesByType('resource').filter((e) => e.name.includes('"
                + path + "')).length")).longValue();
    }

    private WebElement plannersMapWithTheSummary() {
        logIn("planner");
        // every request of the page stays countable (the browser keeps 250 by default)
        script("performance.setResourceTimingBufferSize(5000)");
        WebElement map = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("map")));
        Browser.patiently(driver).until(d -> !d.findElements(By.cssSelector("#gap-table tbody tr")).isEmpty()
                && map.getAttribute("data-zoom") != null);
        return map;
    }

    @Test
    void thePlannersOverviewDrawsEveryGridOfTheViewFromTilesWithoutGridGeoJson() throws Exception {
        WebElement map = plannersMapWithTheSummary();
        // below z14 grids come from the tiles; the demo's street fits a z13 view
        zoomOutTo(map, 13);
        List<int[]> tiles = waitForTiles(map, "grid-", "tile-grids");
        screenshot("planner-grid-tiles");

        long inView = plannersGridsIn(tiles, "true");
        long inStreet = jdbc.sql("""
                SELECT count(*) FROM grid g JOIN app_user u ON u.username = 'planner' JOIN admin_area a ON a.code = u.scope_area_code
                 WHERE starts_with(g.community_code, area_code_prefix(a.code, a.level))
                """).query(Long.class).single();
        assertThat(inStreet).as("the demo street has grids").isPositive();
        assertThat(inView).as("the overview holds the whole street").isEqualTo(inStreet);
        assertThat(map.getAttribute("data-tile-grids")).isEqualTo(Long.toString(inView));
        // drawn from tiles alone: no grid was fetched as GeoJSON
        assertThat(requestsTo("/ogc/collections/grids/tiles/")).isGreaterThanOrEqualTo(tiles.size());
        assertThat(requestsTo("/api/grids")).isZero();
    }

    @Test
    void aCommunityZoomedOutIsSurroundedByItsNeighboursCoverageFromTiles() throws Exception {
        WebElement map = plannersMapWithTheSummary();
        // into the first community: its grids come as GeoJSON, the choropleth's level is now the grid
        WebElement first = driver.findElement(By.cssSelector("#gap-table tbody tr"));
        String community = first.getAttribute("data-code");
        String name = first.findElement(By.tagName("button")).getText();
        first.findElement(By.tagName("button")).click();
        Browser.patiently(driver).until(ExpectedConditions.textToBe(By.id("place-heading"), name));
        long ownGrids = jdbc.sql("SELECT count(*) FROM grid WHERE community_code = :c").param("c", community)
                .query(Long.class).single();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.choropleth")).size() == ownGrids);

        // out beyond it: the street's other grids from the coverage tiles, the community's own ones only once (GeoJSON)
        zoomOutTo(map, 13);
        List<int[]> tiles = waitForTiles(map, "coverage-", "tile-coverage");
        screenshot("planner-coverage-tiles");
        long neighbours = plannersGridsIn(tiles, "g.community_code <> '" + community + "'");
        assertThat(neighbours).as("the demo street has other communities' grids").isPositive();
        assertThat(map.getAttribute("data-tile-coverage")).isEqualTo(Long.toString(neighbours));
        // another metric: the same places, drawn again from the tiles the page holds
        long fetched = requestsTo("/ogc/collections/coverage/tiles/");
        new Select(driver.findElement(By.id("metric"))).selectByValue("visits");
        assertThat(map.getAttribute("data-tile-coverage")).isEqualTo(Long.toString(neighbours));
        assertThat(requestsTo("/ogc/collections/coverage/tiles/")).isEqualTo(fetched);
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePlannersChoroplethAndTableAgreeWithTheApi() throws Exception {
        logIn("planner");
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#gap-table tbody tr")).size() > 0);
        Map<String, Object> summary = apiAs("planner", "/api/coverage/summary");
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) summary.get("metrics");
        for (String metricId : List.of("building-heads", "visits")) {
            new Select(driver.findElement(By.id("metric"))).selectByValue(metricId);
            Map<String, Object> metric = metrics.stream().filter(m -> m.get("id").equals(metricId)).findFirst().orElseThrow();
            List<Map<String, Object>> children = (List<Map<String, Object>>) metric.get("children");
            List<WebElement> rows = driver.findElements(By.cssSelector("#gap-table tbody tr"));
            assertThat(rows).hasSize(children.size());
            assertThat(driver.findElements(By.cssSelector("path.choropleth"))).hasSize(children.size());
            for (Map<String, Object> child : children) {
                WebElement row = driver.findElement(By.cssSelector("#gap-table tr[data-code='" + child.get("code") + "']"));
                Object rate = child.get("rate");
                assertThat(row.getAttribute("data-rate")).isEqualTo(rate == null ? "" : String.valueOf(((Number) rate).doubleValue()));
                assertThat(row.findElements(By.tagName("td")).get(3).getText()).isEqualTo(String.valueOf(child.get("gaps")));
            }
            // the lists behind the figure as whole files: the buildings always, the persons never for a planner
            assertThat(driver.findElement(By.cssSelector("a[data-export='buildings-csv']")).getAttribute("href"))
                    .contains("/api/coverage/" + metricId + "/buildings?").endsWith("&format=csv");
            assertThat(driver.findElements(By.cssSelector("a[data-export='list-xlsx']")))
                    .hasSize(metricId.equals("visits") ? 0 : 1);
        }
        screenshot("planner");

        // drill down: the first community, then its grids
        Map<String, Object> first = ((List<Map<String, Object>>) metrics.get(0).get("children")).get(0);
        driver.findElement(By.cssSelector("#gap-table tr[data-code='" + first.get("code") + "'] button")).click();
        Browser.patiently(driver).until(ExpectedConditions.textToBe(By.id("place-heading"), (String) first.get("name")));
        long grids = jdbc.sql("SELECT count(*) FROM grid WHERE community_code = :c").param("c", first.get("code"))
                .query(Long.class).single();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#gap-table tbody tr")).size() == grids);
        assertThat(driver.findElements(By.cssSelector("#gap-table tbody tr"))).hasSize((int) grids);
        screenshot("planner-community");
    }

    @Test
    void theDispatcherScreenOpens() throws Exception {
        logIn("dispatcher");
        Browser.patiently(driver).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#panel h2"), "送药调度"));
        screenshot("dispatcher");
    }
}
