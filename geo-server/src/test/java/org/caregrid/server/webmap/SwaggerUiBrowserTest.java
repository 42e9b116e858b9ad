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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Swagger UI runs in a real browser under caregrid's Content-Security-Policy (scripts from 'self' only). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server (its connections) after the class: test databases have few connection slots
@DirtiesContext
class SwaggerUiBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "swagger_browser");
    }

    private WebDriver driver;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("admin", "ADMIN", null, null, null);
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void anAdministratorBrowsesTheApi() throws Exception {
        Browser.logIn(driver, "http://localhost:" + port, "admin", Fixtures.PASSWORD);
        driver.get("http://localhost:" + port + "/swagger-ui.html");
        WebDriverWait wait = Browser.patiently(driver);
        wait.withMessage(() -> "the page's console said:\n" + Browser.console(driver));
        wait.until(d -> d.findElements(By.cssSelector(".swagger-ui .opblock")).size() > 20);
        assertThat(driver.findElement(By.cssSelector(".swagger-ui .info .title")).getText()).contains("caregrid API");
        assertThat(driver.findElement(By.cssSelector(".swagger-ui")).getText()).contains("/api/vocabulary");
        assertThat(Browser.console(driver)).doesNotContain("Content Security Policy");
        Browser.screenshot(driver, "swagger-ui");
    }
}
