package org.caregrid.server.support;

import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium driven by Debian's chromedriver; './caregrid test' installs both. */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
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
