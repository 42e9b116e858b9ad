package org.caregrid.server.webmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;
import org.caregrid.server.config.Today;
import org.caregrid.server.support.Browser;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.Link;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
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
 * The volunteer's screen as an offline web app, in chromium at 390×844 (localhost is a secure context, so
 * the service worker runs): opened online with a tile server configured, the worker takes over and keeps
 * the shell, today's route ({@link TodaysRoute}) and the tiles drawn; with the network switched off and the
 * tile server stopped, the page is reloaded and still shows the route, its stops and its tiles; an outcome
 * recorded then waits on the phone and is sent once the network is back; after log-out no route is kept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
// closes the server after the class: test databases have few connection slots
@DirtiesContext
class VolunteerOfflineBrowserTest extends ServerTest {

    /** A tile server of plain grey squares on another port (another origin), counting what it serves. */
    private static HttpServer tileServer;
    private static final AtomicInteger TILES_SERVED = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestDatabase.register(registry, "volunteer_offline_browser");
        registry.add("caregrid.home", () -> "target/test-home-volunteer-offline-browser");
        tileServer = startTileServer();
        registry.add("caregrid.map.tile-url",
                () -> "http://127.0.0.1:" + tileServer.getAddress().getPort() + "/tiles/{z}/{x}/{y}.png");
    }

    private static HttpServer startTileServer() throws Exception {
        BufferedImage grey = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 256; x++) {
            for (int y = 0; y < 256; y++) {
                grey.setRGB(x, y, 0xdddddd);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        byte[] body = png.toByteArray();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tiles/", exchange -> {
            TILES_SERVED.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Autowired
    Today today;

    private WebDriver driver;
    private TodaysRoute route;
    /** The phone's way to the server: the browser talks to the server through it. */
    private Link link;

    @BeforeAll
    void fixtureAndBrowser() throws Exception {
        route = TodaysRoute.load(dataSource, jdbc, encoder, today.date());
        link = Link.to(port);
        driver = Browser.start(390, 844);
    }

    @AfterAll
    void closeBrowserAndTiles() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (link != null) {
            link.close();
        }
        tileServer.stop(0);
    }

    /** Runs a script in the page; a promise it returns is waited for. */
    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** How many picked-up stops the route kept by the service worker has (-1: no route kept). */
    private long keptPickups() {
        return ((Number) js("""
                return caches.match('/api/my/route')
                  .then((r) => r ? r.json() : null)
                  .then((route) => route ? route.stops.filter((s) => s.outcome === 'picked_up').length : -1);""")).longValue();
    }

    private long tilesKept() {
        return ((Number) js("return caches.open('caregrid-tiles-v1').then((c) => c.keys()).then((k) => k.length);")).longValue();
    }

    private long tilesDrawn() {
        return ((Number) js("return [...document.querySelectorAll('img.leaflet-tile')]"
                + ".filter((img) => img.complete && img.naturalWidth === 256).length;")).longValue();
    }

    /** Every read of the route reaches the audit log: the server's own count of them. */
    private long routeReads() {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE endpoint = '/api/my/route' AND username = 'volunteer_3'")
                .query(Long.class).single();
    }

    /**
     * How many reads of the route this page has had answered: a fetch's timing entry is written once its
     * answer is in, and the server logs the read before it answers.
     */
    private long routeReadsAnswered() {
        return ((Number) js("return performance.getEntriesByType('resource')"
                + ".filter((e) => new URL(e.name).pathname === '/api/my/route').length;")).longValue();
    }

    private String nextAddress() {
        return driver.findElement(By.id("next-address")).getText();
    }

    @Test
    void theWorkerAndTheManifestNeedNoLogInAndTheWorkerNamesItsBuild() {
        String worker = client.get().uri("/sw.js").exchange().expectStatus().isOk()
                .expectHeader().value("Content-Type", type -> assertThat(type).contains("javascript"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(worker).contains("caregrid-shell-").doesNotContain("@caregrid.build@").containsPattern("const BUILD = '\\d{14}';");
        client.get().uri("/manifest.json").exchange().expectStatus().isOk()
                .expectHeader().value("Content-Type", type -> assertThat(type).startsWith("application/json"))
                .expectBody().jsonPath("$.name").isEqualTo("社区关爱 caregrid").jsonPath("$.start_url").isEqualTo("/")
                .jsonPath("$.display").isEqualTo("standalone").jsonPath("$.icons.length()").isEqualTo(3);
    }

    @Test
    void theRouteAndItsTilesOpenWithoutSignalAndAnOutcomeRecordedThenIsSentLaterWhileLogOutForgetsTheRoute() throws Exception {
        send("dispatcher", HttpMethod.POST, "/api/dispatch/plans/" + route.planId() + "/publish", "{}", "\"1\"", 200);
        String base = "http://localhost:" + link.port();
        Browser.logIn(driver, base, "volunteer_3", Fixtures.PASSWORD);
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#route-summary[data-state=active]")));
        assertThat(js("return document.querySelector('link[rel=manifest]').href")).isEqualTo(base + "/manifest.json");

        // chromium reads the manifest without errors and would install the page, once the worker is there
        ChromiumDriver chromium = (ChromiumDriver) driver;
        assertThat((List<?>) chromium.executeCdpCommand("Page.getAppManifest", Map.of()).get("errors")).isEmpty();

        // the pickup online; the worker takes the page over and keeps the route as the server now has it
        driver.findElement(By.cssSelector("button[data-outcome=picked_up]")).click();
        Browser.patiently(driver).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("B1栋"));
        // no read of the route may still be on its way to the server when the signal goes: the page's read after
        // sending is answered, and so is the worker's own (it reads the route once more before it is activated)
        Browser.patiently(driver).until(d -> routeReadsAnswered() >= 2);
        Browser.patiently(driver).until(d -> Boolean.TRUE.equals(js(
                "const w = navigator.serviceWorker.controller; return w !== null && w.state === 'activated';")));
        // a reload makes sure the route is read through the worker
        driver.navigate().refresh();
        Browser.patiently(driver).until(d -> routeReadsAnswered() >= 1 && keptPickups() == 2);
        Browser.patiently(driver).until(d -> tilesDrawn() > 0 && tilesKept() >= tilesDrawn());
        long drawn = tilesDrawn();
        assertThat((List<?>) chromium.executeCdpCommand("Page.getInstallabilityErrors", Map.of()).get("installabilityErrors")).isEmpty();

        // no signal (the page told so, the link to the server cut for its worker too), and the tile server
        // is gone: the page, the route and its tiles come from the phone
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        chromium.setNetworkConditions(offline);
        link.cut();
        tileServer.stop(0);
        int servedBefore = TILES_SERVED.get();
        long readsBefore = routeReads();
        driver.navigate().refresh();
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#route-summary[data-state=active]")));
        assertThat(driver.findElements(By.cssSelector("#route-stops li"))).hasSize(4);
        assertThat(driver.findElements(By.cssSelector(".stop-number-icon"))).hasSize(4);
        Browser.patiently(driver).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("B1栋"));
        Browser.patiently(driver).until(d -> tilesDrawn() == drawn);
        assertThat(TILES_SERVED.get()).isEqualTo(servedBefore);
        // the route shown is the one kept: the server was not asked
        assertThat(routeReads()).isEqualTo(readsBefore);
        Browser.screenshot(driver, "volunteer-offline-reloaded");

        driver.findElement(By.cssSelector("button[data-outcome=delivered]")).click();
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outbox[data-waiting='1']")));
        assertThat(driver.findElement(By.cssSelector("#route-stops li[data-stop='" + route.firstStopId() + "']"))
                .getAttribute("data-outcome")).isEqualTo("delivered");
        assertThat(jdbc.sql("SELECT count(*) FROM stop_outcome WHERE stop_id = :s").param("s", route.firstStopId())
                .query(Long.class).single()).isZero();

        // signal again: sent once, and the request is delivered
        link.restore();
        chromium.deleteNetworkConditions();
        Browser.patiently(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outbox[data-waiting='0']")));
        Browser.patiently(driver).ignoring(StaleElementReferenceException.class).until(d -> nextAddress().contains("A2栋"));
        assertThat(jdbc.sql("SELECT outcome FROM stop_outcome WHERE stop_id = :s").param("s", route.firstStopId())
                .query(String.class).list()).containsExactly("delivered");
        assertThat(jdbc.sql("SELECT r.status FROM delivery_request r JOIN route_stop s ON s.delivery_request_id = r.id WHERE s.id = :s")
                .param("s", route.firstStopId()).query(String.class).single()).isEqualTo("delivered");

        // log-out: the shell stays, nothing personal does
        driver.findElement(By.cssSelector("#logout-form button[type=submit]")).click();
        Browser.patiently(driver).until(ExpectedConditions.urlContains("/login?logout"));
        @SuppressWarnings("unchecked")
        List<String> caches = (List<String>) js("return caches.keys();");
        assertThat(caches).anyMatch(name -> name.startsWith("caregrid-shell-")).noneMatch(name -> name.startsWith("caregrid-data"));
        assertThat(keptPickups()).isEqualTo(-1L);
        assertThat(js("return caches.match('/api/me').then((r) => r === undefined);")).isEqualTo(true);
        assertThat(js("return Object.keys(localStorage).filter((k) => k.startsWith('caregrid.route.')).length;")).isEqualTo(0L);
    }
}
