package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import org.caregrid.server.config.Today;
import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The volunteer's phone screen in chromium at 390×844: today's published route ({@link TodaysRoute}: two
 * pickups at 甲药店, then 李建国 in B1栋, then person 4 in A2栋) with numbered stops and the next stop's address; the pickup tapped online, a delivery tapped with
 * the network switched off (kept as "1 waiting to send"), then sent once when the network is back.
 * Screenshots go to target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server after the class: test databases have few connection slots
@DirtiesContext
class VolunteerBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "volunteer_browser");
        registry.add("caregrid.home", () -> "target/test-home-volunteer-browser");
    }

    @Autowired
    Today today;

    private WebDriver driver;
    private long stopLi;
    private long planId;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        TodaysRoute route = TodaysRoute.load(dataSource, jdbc, encoder, today.date());
        stopLi = route.firstStopId();
        planId = route.planId();
        driver = Browser.start(390, 844);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private String nextAddress() {
        return driver.findElement(By.id("next-address")).getText();
    }

    @Test
    void theVolunteerWorksThroughTheRouteAndAnOutcomeRecordedOfflineIsSentOnce() throws Exception {
        send("dispatcher", HttpMethod.POST, "/api/dispatch/plans/" + planId + "/publish", "{}", "\"1\"", 200);
        Browser.logIn(driver, "http://localhost:" + port, "volunteer_3", Fixtures.PASSWORD);
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#route-summary[data-state=active]")));
        assertThat(driver.findElements(By.cssSelector("#route-stops li"))).hasSize(4);
        assertThat(driver.findElements(By.cssSelector(".stop-number-icon")).stream().map(WebElement::getText).toList())
                .containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(driver.findElement(By.cssSelector("#next-stop h3")).getText()).contains("共 2 份");
        assertThat(driver.findElements(By.cssSelector("path.my-route-line"))).hasSize(1);
        assertThat(nextAddress()).isEqualTo("甲药店");
        assertThat(driver.findElement(By.id("navigate")).getAttribute("href")).startsWith("geo:30.003,104.003");
        Browser.screenshot(driver, "volunteer-route");

        driver.findElement(By.cssSelector("button[data-outcome=picked_up]")).click();
        Browser.patiently(driver).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("B1栋"));
        assertThat(nextAddress()).contains("1单元", "502");
        assertThat(driver.findElement(By.id("next-stop")).getText()).contains("李建国", "降压药 1 盒", "13900001111");
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outbox[data-waiting='0']")));
        assertThat(jdbc.sql("SELECT count(*) FROM stop_outcome WHERE outcome = 'picked_up'").query(Long.class).single())
                .isEqualTo(2L);

        // no signal: the delivery is kept on the phone and shown as waiting
        ChromiumDriver chromium = (ChromiumDriver) driver;
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        chromium.setNetworkConditions(offline);
        driver.findElement(By.id("outcome-note")).sendKeys("交给老伴");
        driver.findElement(By.cssSelector("button[data-outcome=delivered]")).click();
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outbox[data-waiting='1']")));
        assertThat(driver.findElement(By.id("outbox")).getText()).contains("1 条待发送");
        assertThat(driver.findElement(By.cssSelector("#route-stops li[data-stop='" + stopLi + "']")).getAttribute("data-outcome"))
                .isEqualTo("delivered");
        assertThat(jdbc.sql("SELECT count(*) FROM stop_outcome WHERE stop_id = :s").param("s", stopLi).query(Long.class).single())
                .isZero();
        Browser.screenshot(driver, "volunteer-offline");

        // signal again: sent once, and the server's route agrees
        chromium.deleteNetworkConditions();
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outbox[data-waiting='0']")));
        Browser.patiently(driver).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("A2栋"));
        assertThat(jdbc.sql("SELECT outcome || ' ' || note FROM stop_outcome WHERE stop_id = :s").param("s", stopLi)
                .query(String.class).list()).containsExactly("delivered 交给老伴");
        assertThat(jdbc.sql("SELECT status FROM delivery_request r JOIN route_stop s ON s.delivery_request_id = r.id WHERE s.id = :s")
                .param("s", stopLi).query(String.class).single()).isEqualTo("delivered");
        Browser.screenshot(driver, "volunteer-sent");
    }
}
