package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoReserve;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The grid worker's 社区呼叫 and 需求清单 in Debian's chromium, on the Monaco fixture and its road network.
 * The reserve of grid 1 ({@link MonacoReserve}) as its grid worker sees it: a call-out for two first-aiders
 * ranks them 31, 7, 30 (street tier), 32 (county), 33 (city). The needs: persons 1–4 of grid 1 need medicine delivery (their profiles);
 * two micro-organisations deliver in the community, one from person 1's own building, one from Fontvieille.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class CalloutAndNeedsBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MonacoRoads.register(registry, "callout_screens");
    }

    @Autowired
    RoutingService routing;

    @Autowired
    Today today;

    private WebDriver driver;
    private long nearSupply;
    private long farSupply;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        MonacoReserve.load(jdbc);
        jdbc.sql("INSERT INTO micro_organisation (id, name, kind, area_code) OVERRIDING SYSTEM VALUE VALUES "
                + "(1, '橘树街助老队', '志愿服务', '990101001001'), (2, '丰维耶送药队', '志愿服务', '990101001001')").update();
        String supply = """
                INSERT INTO supply (provider_kind, organisation_id, kind, area_code, location, capacity_per_week,
                                    starts_on, created_by)
                VALUES ('micro_organisation', :org, 'medicine_delivery', '990101001001',
                        ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 5, :d - 30, 'fixture') RETURNING id
                """;
        // at person 1's building (Rue des Orangers 2), and at Avenue de Fontvieille 24
        nearSupply = jdbc.sql(supply).param("org", 1).param("lon", 7.4203302).param("lat", 43.7335118)
                .param("d", today.date()).query(Long.class).single();
        farSupply = jdbc.sql(supply).param("org", 2).param("lon", 7.4147931).param("lat", 43.7288716)
                .param("d", today.date()).query(Long.class).single();
        user("grid_worker", "GRID_WORKER", null, 1L, 9L);
        MonacoRoads.awaitReady(routing);
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** Rows and the call-out's card are drawn afresh from each answer: an element may go stale mid-check. */
    private FluentWait<WebDriver> patiently() {
        return Browser.patiently(driver).ignoring(StaleElementReferenceException.class);
    }

    private WebElement clickable(String css) {
        return patiently().until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
    }

    private String text(String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).findFirst().orElse("");
    }

    private List<String> attributes(String css, String attribute) {
        return driver.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute(attribute)).toList();
    }

    @Test
    void aCallOutIsFilledByOneAcceptAndANeedIsTakenForTheNearestSupplyAndDone() throws Exception {
        Browser.logIn(driver, "http://localhost:" + port, "grid_worker", Fixtures.PASSWORD);

        // 社区呼叫: none yet; the form names what is missing beside each field and sends nothing
        clickable("#callouts > summary").click();
        patiently().until(d -> "0".equals(d.findElement(By.id("callout-summary")).getAttribute("data-count")));
        clickable("#new-callout").click();
        clickable("#callout-form button[type=submit]").click();
        patiently().until(d -> text("#callout-form .field-error[data-for=startsAt]").equals("必填"));
        assertThat(text("#callout-form .field-error[data-for=needed]")).isEqualTo("需要人数应为 1 到 500 之间的整数");
        assertThat(text("#callout-form .field-error[data-for=hours]")).isEqualTo("时长应大于 0、不超过 24 小时，最多两位小数");
        assertThat(jdbc.sql("SELECT count(*) FROM callout").query(Long.class).single()).isZero();

        driver.findElement(By.cssSelector("#callout-form input[name=needed]")).sendKeys("2");
        ((JavascriptExecutor) driver).executeScript("const i = document.querySelector('#callout-form input[name=startsAt]');"
                + "i.value = arguments[0]; i.dispatchEvent(new Event('input', { bubbles: true }));", today.date() + "T09:00");
        driver.findElement(By.cssSelector("#callout-form input[name=hours]")).sendKeys("2.5");
        driver.findElement(By.cssSelector("#callout-form input[name=skills]")).sendKeys("first_aid");
        driver.findElement(By.cssSelector("#callout-form button[type=submit]")).click();

        // the candidates in the server's order: street tier (the first-aider first), the county's staff, the city
        patiently().until(d -> d.findElements(By.cssSelector("#callout-candidates li")).size() == 5);
        assertThat(attributes("#callout-candidates li", "data-person")).containsExactly("31", "7", "30", "32", "33");
        assertThat(text("#callout-candidates li[data-person='31'] .candidate-name")).isEqualTo("冯急救");
        assertThat(text("#callout-candidates li[data-person='31'] .candidate-tier")).isEqualTo("街道级");
        assertThat(text("#callout-detail .callout-filled")).isEqualTo("0/2");
        long callout = jdbc.sql("SELECT id FROM callout").query(Long.class).single();
        assertThat(jdbc.sql("SELECT concat_ws('|', grid_id, needed, hours, array_to_string(skills, ','), status, created_by) "
                + "FROM callout WHERE id = :id").param("id", callout).query(String.class).single())
                .isEqualTo("1|2|2.50|first_aid|open|grid_worker");

        // one accept (If-Match: the call-out's version): the filled count moves, here and in the list
        driver.findElement(By.cssSelector("#callout-candidates li[data-person='31'] button.accept")).click();
        patiently().until(d -> text("#callout-detail .callout-filled").equals("1/2"));
        patiently().until(d -> text("#callout-list li[data-callout='" + callout + "'] .callout-filled").equals("1/2"));
        assertThat(text("#callout-candidates li[data-person='31'] .candidate-response")).isEqualTo("已应答");
        assertThat(jdbc.sql("SELECT string_agg(person_id || ':' || accept, ',') FROM callout_response WHERE callout_id = :id")
                .param("id", callout).query(String.class).single()).isEqualTo("31:true");
        Browser.screenshot(driver, "grid-worker-callout");

        // 需求清单: the grid's four open needs; person 1's supplies, the one in her building first
        long need = jdbc.sql("SELECT id FROM need WHERE key_person_id = 1 AND kind = 'medicine_delivery'")
                .query(Long.class).single();
        String row = "#needs li[data-need='" + need + "']";
        clickable("#needs-list > summary").click();
        patiently().until(d -> d.findElements(By.cssSelector("#needs li[data-need]")).size() == 4);
        assertThat(text(row + " .need-person")).isEqualTo("王秀英");
        clickable(row + " button.show-matches").click();
        patiently().until(d -> d.findElements(By.cssSelector(row + " .matches li")).size() == 2);
        assertThat(attributes(row + " .matches li", "data-supply"))
                .containsExactly(Long.toString(nearSupply), Long.toString(farSupply));
        driver.findElement(By.cssSelector(row + " .matches li[data-supply='" + nearSupply + "'] button.take")).click();
        patiently().until(d -> "taken".equals(d.findElement(By.cssSelector(row)).getAttribute("data-status")));
        clickable(row + " button.done").click();
        patiently().until(d -> "done".equals(d.findElement(By.cssSelector(row)).getAttribute("data-status")));
        assertThat(jdbc.sql("SELECT concat_ws('|', status, taken_supply_id, taken_by, done_by) FROM need WHERE id = :id")
                .param("id", need).query(String.class).single())
                .isEqualTo("done|" + nearSupply + "|grid_worker|grid_worker");
        Browser.screenshot(driver, "grid-worker-needs");
    }
}
