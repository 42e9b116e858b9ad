package org.caregrid.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.caregrid.server.CaregridApplication;
import org.caregrid.server.security.DemoPasswords;
import org.caregrid.server.security.DemoPasswords.DemoPasswordStillSetException;
import org.caregrid.server.support.Browser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.caregrid.server.support.TestDatabase;

/** {@code demo} mode on an empty database: the district, the five log-ins, and a browser that uses them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=demo")
class DemoModeTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "demo_mode");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DemoPasswords demoPasswords;

    @Value("${caregrid.db.url}")
    String dbUrl;

    @Value("${caregrid.db.user}")
    String dbUser;

    @Value("${caregrid.db.password}")
    String dbPassword;

    @Test
    void loadsTheDemoDistrictAndOneLogInPerRole() {
        assertThat(count("SELECT count(*) FROM admin_area WHERE level = 'community'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM grid")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM building")).isEqualTo(16);
        assertThat(count("SELECT count(*) FROM unit")).isEqualTo(32);
        assertThat(count("SELECT count(*) FROM person")).isEqualTo(64);
        assertThat(demoPasswords.usersWithDemoPassword())
                .containsExactly("admin", "dispatcher", "gridworker", "planner", "volunteer");
    }

    @Test
    void serveRefusesToStartWhileADemoPasswordIsSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CaregridApplication.class)
                .run("--spring.main.web-application-type=none", "--caregrid.mode=serve",
                        "--caregrid.home=target/test-home-serve-refusal",
                        "--caregrid.db.url=" + dbUrl, "--caregrid.db.user=" + dbUser, "--caregrid.db.password=" + dbPassword)
                .close())
                .satisfies(failure -> {
                    Throwable cause = failure;
                    while (cause != null && !(cause instanceof DemoPasswordStillSetException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).as("a DemoPasswordStillSetException in " + failure).isNotNull();
                    assertThat(cause.getMessage()).contains("admin", "gridworker", "volunteer");
                });
    }

    @Test
    void aGridWorkerLogsInInTheBrowserAndSeesTheirGridsBuildings() throws Exception {
        WebDriver driver = Browser.start(1280, 900);
        try {
            driver.get("http://localhost:" + port + "/");
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.urlContains("/login"));
            driver.findElement(By.name("username")).sendKeys("gridworker");
            driver.findElement(By.name("password")).sendKeys("demo");
            driver.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "栋楼"));
            // the first grid holds 4 buildings; the other grids' buildings are not sent
            assertThat(driver.findElement(By.id("status")).getText()).startsWith("4 栋楼");
            assertThat(driver.findElement(By.id("area-name")).getText()).isEqualTo("东风社区");
            Path shot = Path.of("target", "screenshots", "grid-worker-first-map.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.quit();
        }
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
