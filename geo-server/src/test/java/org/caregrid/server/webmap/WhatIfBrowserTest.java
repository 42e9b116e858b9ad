package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The planner's what-if panel in chromium. fixtures/two-grids.sql gives grid 1 「甲网格」 buildings 1 and 2, neither
 * with a head; three more buildings, each with one resident, make five building-heads gaps. The planner picks
 * candidates for three of them, sees the prediction 5 → 2, appoints them, and the table and the API both say 2.
 * No candidate's name ever reaches the planner's page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class WhatIfBrowserTest extends ServerTest {

    private static final List<String> RESIDENTS = List.of("赵候选", "钱候选", "孙候选");
    private static final int GAPS = 5;
    private static final int PICKED = 3;

    private WebDriver driver;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "what_if_browser");
        registry.add("caregrid.home", () -> "target/test-home-what-if-browser");
    }

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        jdbc.sql("""
                INSERT INTO building (id, name, area_code, grid_id, households, entrance) OVERRIDING SYSTEM VALUE VALUES
                  (4, 'A4栋', '510104020001', 1, 10, ST_SetSRID(ST_MakePoint(104.005, 30.005), 4326)),
                  (5, 'A5栋', '510104020001', 1, 10, ST_SetSRID(ST_MakePoint(104.006, 30.006), 4326)),
                  (6, 'A6栋', '510104020001', 1, 10, ST_SetSRID(ST_MakePoint(104.007, 30.007), 4326));
                INSERT INTO person (id, name, phone, building_id, room, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (11, :a, '13500000011', 4, '101', '510104020001', 1),
                  (12, :b, '13500000012', 5, '101', '510104020001', 1),
                  (13, :c, '13500000013', 6, '101', '510104020001', 1);
                """).param("a", RESIDENTS.get(0)).param("b", RESIDENTS.get(1)).param("c", RESIDENTS.get(2)).update();
        user("planner", "PLANNER", "510104020000", null, null);
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void aPlannerAppointsThreeCandidatesAndTheBuildingHeadsGapDropsByThree() throws Exception {
        assertThat(coverageGaps("planner", "building-heads", "grid=1")).isEqualTo(GAPS);
        Browser.logIn(driver, "http://localhost:" + port, "planner", Fixtures.PASSWORD);
        // the street's communities, then 甲社区's grids, then 甲网格 itself
        click("#gap-table tr[data-code='510104020001'] button");
        Browser.patiently(driver).until(ExpectedConditions.textToBe(By.id("place-heading"), "甲社区"));
        click("#gap-table tr[data-code='grid:1'] button");
        Browser.patiently(driver).until(ExpectedConditions.textToBe(By.id("place-heading"), "甲网格"));
        new Select(driver.findElement(By.id("metric"))).selectByValue("building-heads");
        assertThat(new Select(driver.findElement(By.id("whatif-metric"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("building-heads");

        click("#whatif-open");
        Browser.patiently(driver).until(d -> String.valueOf(GAPS).equals(d.findElement(By.id("whatif-note")).getAttribute("data-total")));
        // every gap's candidates have arrived
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#whatif-gaps select.whatif-candidate[data-count]")).size() == GAPS);
        List<WebElement> choices = driver.findElements(By.cssSelector("#whatif-gaps select.whatif-candidate"));
        for (WebElement choice : choices.subList(0, PICKED)) {
            assertThat(Integer.parseInt(choice.getAttribute("data-count"))).isPositive();
            new Select(choice).selectByIndex(1);
        }
        String prediction = "#whatif-result tr[data-metric='building-heads'][data-before-gaps='" + GAPS
                + "'][data-after-gaps='" + (GAPS - PICKED) + "']";
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector(prediction)).size() == 1
                && d.findElements(By.cssSelector("#whatif-result[data-pending]")).isEmpty());
        assertThat(driver.findElement(By.cssSelector(prediction)).getText()).contains(GAPS + " → " + (GAPS - PICKED));
        Browser.screenshot(driver, "what-if-prediction");
        assertThat(activeBuildingHeads()).isZero();

        click("#whatif-appoint");
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#gap-table tr[data-code='grid:1'][data-gaps='" + (GAPS - PICKED) + "']")));
        // the list of gaps follows: the three appointed buildings have left it
        Browser.patiently(driver).until(d -> String.valueOf(GAPS - PICKED)
                .equals(d.findElement(By.id("whatif-note")).getAttribute("data-total")));
        assertThat(coverageGaps("planner", "building-heads", "grid=1")).isEqualTo(GAPS - PICKED);
        assertThat(activeBuildingHeads()).isEqualTo(PICKED);
        Browser.screenshot(driver, "what-if-appointed");

        String page = driver.getPageSource();
        for (String name : RESIDENTS) {
            assertThat(page).doesNotContain(name);
        }
        assertThat(page).doesNotContain("王志强").doesNotContain("张秀英");
    }

    private long activeBuildingHeads() {
        return jdbc.sql("SELECT count(*) FROM role_assignment WHERE role = 'building_head' AND valid_to IS NULL")
                .query(Long.class).single();
    }

    private void click(String css) {
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }
}
