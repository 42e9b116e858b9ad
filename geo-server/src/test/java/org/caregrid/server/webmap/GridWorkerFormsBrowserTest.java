package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.caregrid.server.support.Browser;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The grid worker's forms in Debian's chromium on the demo district: a key person registered from a
 * building's card, a medicine request from a person's card (and cancelled), and the request a visit
 * that found 送药到户 offers. What the forms stored is read back from the database.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=demo")
class GridWorkerFormsBrowserTest extends ServerTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "grid_worker_forms");
    }

    private WebDriver driver;

    @BeforeAll
    void browser() throws Exception {
        driver = Browser.start(1280, 900);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    private void logIn() {
        Browser.logIn(driver, "http://localhost:" + port, "gridworker", "demo");
    }

    private WebElement clickable(String css) {
        return Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
    }

    private String errorBeside(String form, String field) {
        return driver.findElement(By.cssSelector(form + " .field-error[data-for=" + field + "]")).getText();
    }

    private void waitForErrorBeside(String form, String field, String text) {
        Browser.patiently(driver).until(d -> errorBeside(form, field).contains(text));
    }

    @Test
    void aKeyPersonIsRegisteredFromTheBuildingCardWithExactlyWhatWasEntered() throws Exception {
        logIn();
        long grid = jdbc.sql("SELECT scope_grid_id FROM app_user WHERE username = 'gridworker'").query(Long.class).single();
        long buildings = jdbc.sql("SELECT count(*) FROM building WHERE grid_id = :g").param("g", grid).query(Long.class).single();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.building")).size() == buildings);
        // Leaflet finds the layer from the event's target: a click dispatched on the path opens its card
        script("document.querySelector('path.building').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
        clickable("#register-key-person");
        WebElement box = driver.findElement(By.id("building-key-persons"));
        long building = Long.parseLong(box.getAttribute("data-building"));
        long keyPersons = jdbc.sql("SELECT count(*) FROM key_person k JOIN person p ON p.id = k.person_id "
                + "WHERE p.building_id = :b AND p.closed_on IS NULL").param("b", building).query(Long.class).single();
        assertThat(box.findElement(By.cssSelector(".kp-count")).getAttribute("data-count")).isEqualTo(Long.toString(keyPersons));
        long persons = jdbc.sql("SELECT count(*) FROM person").query(Long.class).single();

        driver.findElement(By.id("register-key-person")).click();
        String form = "#key-person-form";
        clickable(form + " button[type=submit]").click();
        // nothing typed: the missing fields say so beside themselves, and nothing is sent
        waitForErrorBeside(form, "name", "必填");
        assertThat(errorBeside(form, "categories")).isEqualTo("必填");
        assertThat(errorBeside(form, "riskLevel")).isEqualTo("必填");
        // as one types: a bad phone is named before sending
        driver.findElement(By.cssSelector(form + " input[name=phone]")).sendKeys("12ab");
        waitForErrorBeside(form, "phone", "电话号码格式不对");
        driver.findElement(By.cssSelector(form + " input[name=phone]")).clear();
        driver.findElement(By.cssSelector(form + " input[name=phone]")).sendKeys("13800138000");
        Browser.patiently(driver).until(d -> errorBeside(form, "phone").isEmpty());

        driver.findElement(By.cssSelector(form + " input[name=name]")).sendKeys("赵桂兰");
        List<Long> units = jdbc.sql("SELECT id FROM unit WHERE building_id = :b ORDER BY id").param("b", building)
                .query(Long.class).list();
        Long unit = units.isEmpty() ? null : units.get(units.size() - 1);
        if (unit != null) {
            new Select(driver.findElement(By.cssSelector(form + " select[name=unitId]"))).selectByValue(unit.toString());
        }
        driver.findElement(By.cssSelector(form + " input[name=room]")).sendKeys("502");
        driver.findElement(By.cssSelector(form + " input[name=categories][value=elderly_alone]")).click();
        driver.findElement(By.cssSelector(form + " input[name=categories][value=chronic_condition]")).click();
        new Select(driver.findElement(By.cssSelector(form + " select[name=riskLevel]"))).selectByValue("high");
        driver.findElement(By.cssSelector(form + " input[name=needs][value=medicine_delivery]")).click();
        driver.findElement(By.cssSelector(form + " input[name=visitIntervalDays]")).sendKeys("7");
        driver.findElement(By.cssSelector(form + " textarea[name=notes]")).sendKeys("独居，高血压");
        Browser.screenshot(driver, "grid-worker-register-key-person");
        driver.findElement(By.cssSelector(form + " button[type=submit]")).click();

        String count = Long.toString(keyPersons + 1);
        Browser.patiently(driver).until(d -> count.equals(
                d.findElement(By.cssSelector("#building-key-persons .kp-count")).getAttribute("data-count")));
        assertThat(jdbc.sql("SELECT count(*) FROM person").query(Long.class).single()).isEqualTo(persons + 1);
        // the demo has a 赵桂兰 of its own: the one just registered is the newest
        long id = jdbc.sql("SELECT max(id) FROM person WHERE name = '赵桂兰'").query(Long.class).single();
        assertThat(jdbc.sql("SELECT concat_ws('|', phone, building_id, unit_id, room, grid_id) FROM person WHERE id = :id")
                .param("id", id).query(String.class).single())
                .isEqualTo(String.join("|", List.of("13800138000", Long.toString(building), unit == null ? "" : unit.toString(),
                        "502", Long.toString(grid))).replace("||", "|"));
        assertThat(jdbc.sql("SELECT concat_ws('|', array_to_string(categories, ','), risk_level, array_to_string(needs, ','), "
                        + "visit_interval_days, notes) FROM key_person WHERE person_id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("elderly_alone,chronic_condition|high|medicine_delivery|7|独居，高血压");
        assertThat(driver.findElement(By.cssSelector("#building-key-persons li[data-person='" + id + "']")).getText())
                .startsWith("赵桂兰");
    }

    @Test
    void aMedicineRequestIsRecordedCancelledAndOfferedAfterAVisitThatFoundTheNeed() throws Exception {
        logIn();
        WebElement first = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#kp-list li")));
        long person = Long.parseLong(first.getAttribute("data-person"));
        // the demo may have requests of its own for them: counted, not assumed away
        String open = "SELECT count(*) FROM delivery_request WHERE key_person_id = :p AND status IN ('pending', 'planned')";
        long openBefore = jdbc.sql(open).param("p", person).query(Long.class).single();
        first.findElement(By.cssSelector("button")).click();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#delivery-requests li[data-request]")).size() == openBefore);
        clickable("#request-medicine").click();
        String form = "#delivery-form";
        clickable(form + " button[type=submit]").click();
        waitForErrorBeside(form, "items", "必填");

        driver.findElement(By.cssSelector(form + " textarea[name=items]")).sendKeys("硝苯地平 2盒");
        new Select(driver.findElement(By.cssSelector(form + " select[name=urgency]"))).selectByValue("urgent");
        // a pharmacy the list held but the register no longer does: the server's error, beside the field
        long elsewhere = jdbc.sql("SELECT max(id) + 1000 FROM facility").query(Long.class).single();
        script("const s = document.querySelector('" + form + " select[name=facilityId]');"
                + "s.append(new Option('gone', '" + elsewhere + "')); s.value = '" + elsewhere + "';");
        driver.findElement(By.cssSelector(form + " button[type=submit]")).click();
        waitForErrorBeside(form, "facilityId", "没有设施");
        assertThat(jdbc.sql("SELECT count(*) FROM delivery_request WHERE items = '硝苯地平 2盒'").query(Long.class).single()).isZero();
        new Select(driver.findElement(By.cssSelector(form + " select[name=facilityId]"))).selectByValue("");
        driver.findElement(By.cssSelector(form + " button[type=submit]")).click();

        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#delivery-requests li[data-request]")).size() == openBefore + 1);
        long request = jdbc.sql("SELECT id FROM delivery_request WHERE items = '硝苯地平 2盒'").query(Long.class).single();
        assertThat(driver.findElements(By.cssSelector("#delivery-requests li[data-request='" + request + "']"))).hasSize(1);
        assertThat(jdbc.sql("SELECT concat_ws('|', key_person_id, urgency, status, facility_id, created_by) FROM delivery_request "
                + "WHERE id = :id").param("id", request).query(String.class).single())
                .isEqualTo(person + "|urgent|pending|gridworker");
        Browser.screenshot(driver, "grid-worker-medicine-request");

        // cancelled with a reason: it leaves the card, and the row stays
        String item = "#delivery-requests li[data-request='" + request + "']";
        clickable(item + " button.cancel-request").click();
        clickable(item + " .cancel-form button[type=submit]").click();
        waitForErrorBeside(item + " .cancel-form", "reason", "必填");
        driver.findElement(By.cssSelector(item + " .cancel-form input[name=reason]")).sendKeys("家属已代买");
        driver.findElement(By.cssSelector(item + " .cancel-form button[type=submit]")).click();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector(item)).isEmpty());
        assertThat(jdbc.sql("SELECT status FROM delivery_request WHERE id = :id").param("id", request).query(String.class).single())
                .isEqualTo("cancelled");

        // a visit that found 送药到户 offers the request, filled in; only the click stores it
        clickable("#record-visit").click();
        new Select(driver.findElement(By.cssSelector("#visit-form select[name=method]"))).selectByValue("door");
        driver.findElement(By.cssSelector("#visit-form textarea[name=findings]")).sendKeys("需降压药");
        driver.findElement(By.cssSelector("#visit-form input[type=checkbox][value=medicine_delivery]")).click();
        driver.findElement(By.cssSelector("#visit-form button[type=submit]")).click();
        clickable("#offer-delivery");
        assertThat(jdbc.sql(open).param("p", person).query(Long.class).single()).isEqualTo(openBefore);
        driver.findElement(By.id("offer-delivery")).click();
        WebElement items = clickable(form + " textarea[name=items]");
        assertThat(items.getAttribute("value")).isEqualTo("需降压药");
        driver.findElement(By.cssSelector(form + " button[type=submit]")).click();
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#delivery-requests li[data-request]")).size() == openBefore + 1);
        assertThat(jdbc.sql("SELECT concat_ws('|', items, urgency, status, created_by) FROM delivery_request "
                + "WHERE key_person_id = :p AND id > :first").param("p", person).param("first", request)
                .query(String.class).list()).containsExactly("需降压药|normal|pending|gridworker");
    }
}
