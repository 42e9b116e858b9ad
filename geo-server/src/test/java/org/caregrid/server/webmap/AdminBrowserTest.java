package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The administrator's screen in chromium, on two grids (fixtures/two-grids.sql: grid 1 「甲网格」 holds
 * buildings 1 and 2, grid 2 building 3): a form that checks as one types and shows the server's field
 * errors, a grid worker created for grid 1 with a one-time password, who then logs in and sees their
 * grid alone. Screenshots go to target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class AdminBrowserTest extends ServerTest {

    private WebDriver driver;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "admin_browser");
        registry.add("caregrid.home", () -> "target/test-home-admin-browser");
    }

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
    void anAdministratorCreatesAGridWorkerWhoThenSeesOnlyTheirGrid() throws Exception {
        String base = "http://localhost:" + port;
        Browser.logIn(driver, base, "admin", Fixtures.PASSWORD);
        WebElement form = Browser.patiently(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("user-form")));
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#user-table tbody tr[data-username='admin']")).size() == 1);
        // grids arrive with the map: wait for grid 1 in the list before choosing it
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#user-form select[name=scopeGridId] option[value='1']")).size() == 1);

        // checked while typing: a bad user name is named beside its field, a good one clears it
        WebElement username = form.findElement(By.name("username"));
        username.sendKeys("New Worker");
        Browser.patiently(driver).until(d -> !errorOf("username").isEmpty());
        username.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        username.sendKeys("admin");
        Browser.patiently(driver).until(d -> errorOf("username").isEmpty());
        form.findElement(By.name("displayName")).sendKeys("新网格员");
        form.findElement(By.cssSelector("input[name=roles][value=GRID_WORKER]")).click();
        new Select(form.findElement(By.name("scopeGridId"))).selectByValue("1");

        // the server's refusal (the name is taken) shows beside the field it concerns, in the page's language
        form.findElement(By.id("user-submit")).click();
        Browser.patiently(driver).until(d -> errorOf("username").contains("admin"));
        assertThat(errorOf("username")).isEqualTo("用户名“admin”已被使用");
        screenshot("admin-field-error");
        assertThat(jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single()).isEqualTo(1);

        username.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        username.sendKeys("new.worker");
        form.findElement(By.id("user-submit")).click();
        WebElement secret = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#one-time-password code[data-username='new.worker']")));
        String password = secret.getAttribute("data-password");
        assertThat(password).hasSize(16).isEqualTo(secret.getText());
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("#user-table tr[data-username='new.worker']")).size() == 1);
        assertThat(jdbc.sql("SELECT scope_grid_id || ' ' || array_to_string(roles, ',') || ' ' || display_name FROM app_user "
                + "WHERE username = 'new.worker'").query(String.class).single()).isEqualTo("1 GRID_WORKER 新网格员");
        screenshot("admin-user-created");

        // the new grid worker logs in with the one-time password and sees grid 1 and its two buildings only
        Browser.logIn(driver, base, "new.worker", password);
        Browser.patiently(driver).until(ExpectedConditions.textToBe(By.id("place-name"), "甲网格"));
        Browser.patiently(driver).until(d -> d.findElements(By.cssSelector("path.building")).size() == 2);
        assertThat(driver.findElements(By.cssSelector("path.grid"))).hasSize(1);
        assertThat(driver.findElements(By.id("user-form"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain("B1栋").doesNotContain("乙网格");
        screenshot("admin-new-grid-worker");
    }

    @Test
    void anAdministratorTriesARosterFirstSeesItsPlanAndThenImportsIt() throws Exception {
        // three appointments in grid 1; 王志强's 包保 of 张秀英 (A1栋) is in the roster's scope and not listed: kept
        Path roster = Files.createTempFile("名册", ".csv");
        Files.writeString(roster, """
                小区,楼栋,单元,职务,姓名,手机尾号,身份证号,包保对象,包保对象电话,起始日期
                ,A1栋,,楼栋长,王志强,2222,,,,
                ,A2栋,,楼栋长,王志强,2222,,,,
                ,A1栋,1单元,单元长,王志强,2222,,,,
                """);
        Browser.logIn(driver, "http://localhost:" + port, "admin", Fixtures.PASSWORD);
        Browser.patiently(driver).until(ExpectedConditions.elementToBeClickable(By.id("tab-imports"))).click();
        WebElement form = Browser.patiently(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("import-form")));
        Select type = new Select(form.findElement(By.name("type")));
        // every type the server takes, the roster and the visit ledger among them
        assertThat(type.getOptions()).extracting(o -> o.getAttribute("value")).containsExactly("buildings", "units",
                "persons", "key-persons", "volunteers", "facilities", "compounds", "grids", "admin-areas",
                "micro-organisations", "assignments", "visits", "osm");
        // other types ignore a dry run: it is not offered for them
        assertThat(form.findElement(By.name("dryRun")).isDisplayed()).isFalse();
        type.selectByValue("assignments");
        form.findElement(By.name("dryRun")).click();
        form.findElement(By.name("file")).sendKeys(roster.toAbsolutePath().toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement dryRun = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#import-jobs article[data-status='succeeded'][data-dry-run='true']")));
        assertThat(dryRun.findElements(By.cssSelector("table.import-plan tbody tr"))).hasSize(4);
        assertThat(dryRun.findElements(By.cssSelector("table.import-plan tr[data-action='create']"))).hasSize(3);
        assertThat(dryRun.findElements(By.cssSelector("table.import-plan tr[data-action='unlisted']"))).hasSize(1);
        assertThat(dryRun.findElement(By.cssSelector("table.import-plan tr[data-action='create'] td:nth-child(3)")).getText())
                .isEqualTo("楼栋长");
        assertThat(headsAndUnitHeads()).as("a dry run writes nothing").isZero();
        Browser.screenshot(driver, "admin-roster-dry-run");

        dryRun.findElement(By.cssSelector("button.apply-import")).click();
        WebElement applied = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#import-jobs article[data-status='succeeded'][data-dry-run='false']")));
        long job = Long.parseLong(applied.getAttribute("data-job"));
        assertThat(jdbc.sql("SELECT status || ' ' || dry_run || ' ' || (counts ->> 'create') FROM import_job WHERE id = :id")
                .param("id", job).query(String.class).single()).isEqualTo("succeeded false 3");
        assertThat(headsAndUnitHeads()).isEqualTo(3);
        assertThat(applied.findElements(By.cssSelector("table.import-plan tr[data-action='create']"))).hasSize(3);
        Browser.screenshot(driver, "admin-roster-imported");

        // a visit ledger's dry run: its plan in the ledger's own columns, and nothing written
        Path ledger = Files.createTempFile("台账", ".csv");
        Files.writeString(ledger, """
                姓名,手机尾号,身份证号,楼栋,走访日期,走访方式,走访人,走访人电话,走访情况,发现需求
                张秀英,5678,,A1栋,2026-11-05,上门走访,王志强,13700002222,身体尚可,
                张秀英,5678,,A1栋,2026-11-12,电话随访,,,,
                """);
        type.selectByValue("visits");
        assertThat(form.findElement(By.name("endUnlisted")).isDisplayed()).isFalse();
        form.findElement(By.name("dryRun")).click();
        form.findElement(By.name("file")).sendKeys(ledger.toAbsolutePath().toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement visits = Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#import-jobs article[data-job='" + (job + 1) + "'][data-status='succeeded'][data-dry-run='true']")));
        assertThat(visits.findElements(By.cssSelector("table.import-plan tr[data-action='create']"))).hasSize(2);
        assertThat(visits.findElement(By.cssSelector("table.import-plan tbody tr td:nth-child(5)")).getText()).isEqualTo("上门");
        assertThat(jdbc.sql("SELECT count(*) FROM visit").query(Long.class).single()).isZero();
    }

    private long headsAndUnitHeads() {
        return jdbc.sql("SELECT count(*) FROM role_assignment WHERE role IN ('building_head', 'unit_head') AND valid_to IS NULL")
                .query(Long.class).single();
    }

    private String errorOf(String field) {
        return driver.findElement(By.cssSelector("#user-form .field-error[data-for='" + field + "']")).getText();
    }


    private void screenshot(String name) throws Exception {
        Browser.screenshot(driver, name);
    }
}
