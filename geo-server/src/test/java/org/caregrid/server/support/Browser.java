package org.caregrid.server.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's chromium driven by Debian's chromedriver; './caregrid test' installs both. */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private Browser() {
    }

    /**
     * Logs in through the form and waits for the map page. Headless chromium now and then never
     * finishes loading the page after the form (seen: one module script left pending while the
     * server had answered all the others; not seen with a real user's browser), so a page load that
     * times out is tried once more before the test fails.
     */
    public static void logIn(WebDriver driver, String baseUrl, String username, String password) {
        for (int attempt = 1; ; attempt++) {
            try {
                driver.manage().deleteAllCookies();
                driver.get(baseUrl + "/login");
                driver.findElement(org.openqa.selenium.By.name("username")).sendKeys(username);
                driver.findElement(org.openqa.selenium.By.name("password")).sendKeys(password);
                driver.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
                new WebDriverWait(driver, Duration.ofSeconds(60))
                        .until(org.openqa.selenium.support.ui.ExpectedConditions.urlToBe(baseUrl + "/"));
                return;
            } catch (org.openqa.selenium.TimeoutException e) {
                if (attempt == 2) {
                    throw e;
                }
                System.err.println("The map page did not load after logging in as " + username + "; once more: " + e.getMessage());
            }
        }
    }

    /**
     * A wait for a condition on the page, with one generous bound for all of them: CI shares two cores
     * with other work, and a wait ends as soon as its condition holds, so a long bound costs nothing
     * when things go well. A failure says what the status line and the console said.
     */
    public static WebDriverWait patiently(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.withMessage(() -> "the status line said: " + driver.findElements(By.id("status")).stream()
                .map(WebElement::getText).findFirst().orElse("(none)") + "\nthe page's console said:\n" + console(driver));
        return wait;
    }

    /** Keeps what the screen shows under target/screenshots/NAME.png. */
    public static void screenshot(WebDriver driver, String name) throws java.io.IOException {
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    /** What the page wrote to its console (errors included), one line per entry. */
    public static String console(WebDriver driver) {
        StringBuilder text = new StringBuilder();
        driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)
                .forEach(entry -> text.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n'));
        return text.toString();
    }

    public static WebDriver start(int width, int height) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": run './caregrid test', or 'sudo apt-get install chromium chromium-driver'");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile = Files.createTempDirectory("caregrid-chromium");
        // root in a container needs --no-sandbox; the rest keeps chromium off the (closed) network
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--lang=zh-CN", "--password-store=basic",
                "--disable-features=PasswordLeakDetection,AutofillServerCommunication,OptimizationHints,MediaRouter",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile,
                "--log-net-log=" + Path.of("target", "chromium-netlog-" + System.nanoTime() + ".json").toAbsolutePath());
        // No prompts in a headless browser: geolocation is refused, and the password manager is off.
        // Its leak check of the submitted demo password ("demo") could hold the next page's scripts
        // for minutes (seen: a 300 s hang after the log-in form).
        options.setExperimentalOption("prefs", java.util.Map.of(
                "profile.default_content_setting_values.geolocation", 2,
                "credentials_enable_service", false,
                "profile.password_manager_enabled", false,
                "profile.password_manager_leak_detection", false));
        // keep the page's console, so a failing test can say what the page said
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver-" + System.nanoTime() + ".log").toFile())
                .withVerbose(true).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // a page that has not loaded in 30 s will not load: fail (or retry) instead of waiting 300 s
        driver.manage().timeouts().pageLoadTimeout(java.time.Duration.ofSeconds(30));
        return driver;
    }
}
