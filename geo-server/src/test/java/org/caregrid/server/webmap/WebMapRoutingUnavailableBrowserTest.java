package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;


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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No road network: the service-area control says so in words, and the road layer stays empty
 * without turning the status line into an error (the rest of the map works).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections) after the class: test databases have few connection slots
@DirtiesContext
class WebMapRoutingUnavailableBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "no_roads_browser");
        registry.add("caregrid.home", () -> "target/test-home-no-roads-browser");
    }

    private WebDriver driver;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("planner", "PLANNER", "990101001000", null, null);
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void theServiceAreaControlSaysRoutingIsNotReady() throws Exception {
        for (String uri : new String[] {"/api/roads?bbox=7.41,43.72,7.43,43.74",
                "/api/routing/service-areas?bbox=7.40,43.71,7.45,43.76", "/api/routing/outside-buildings"}) {
            get("planner", uri).header("Accept-Language", "en").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("no road network"));
        }

        Browser.logIn(driver, "http://localhost:" + port, "planner", Fixtures.PASSWORD);
        WebDriverWait wait = Browser.patiently(driver);
        wait.withMessage(() -> "the page's console said:\n" + Browser.console(driver));
        wait.until(d -> !d.findElements(By.cssSelector("path.choropleth")).isEmpty());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("isochrones"))).click();
        WebElement note = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#iso-status[data-error]")));
        assertThat(note.getAttribute("data-error")).isEqualTo("503");
        assertThat(note.getAttribute("class")).contains("error");
        assertThat(note.getText()).contains("路网尚未就绪").contains("没有路网");
        assertThat(driver.findElements(By.cssSelector("path.isochrone"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("path.road"))).isEmpty();
        assertThat(driver.findElement(By.id("status")).getAttribute("class")).doesNotContain("failed");
        Browser.screenshot(driver, "planner-routing-unavailable");
    }
}
