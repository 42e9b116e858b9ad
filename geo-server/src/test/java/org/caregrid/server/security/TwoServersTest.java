package org.caregrid.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.imports.ImportRequest;
import org.caregrid.server.imports.JobRunner;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MonacoRoads;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Two caregrid servers on one database and one data folder (docs/scaling.md): server A is the test's context,
 * server B a second application started beside it. A log-in on one is a log-in on both, two dispatchers cannot
 * plan one request twice, and an import job runs on one server only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
@DirtiesContext
class TwoServersTest extends ServerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "two_servers");
        registry.add("caregrid.routing.osm-file", () -> MonacoRoads.osmFile().toString());
    }

    @Autowired
    Environment environment;

    @Autowired
    RoutingService routing;

    @Autowired
    ImportJobs jobs;

    @Autowired
    DatabaseSessions sessions;

    @Autowired
    JobRunner jobRunnerA;

    private ConfigurableApplicationContext serverB;
    private WebTestClient clientB;

    @BeforeAll
    void startServerB() throws InterruptedException {
        Fixtures.load(dataSource, "fixtures/monaco.sql");
        user("dispatcher", "DISPATCHER", "990101001000", null, null);
        user("dispatcher_b", "DISPATCHER", "990101001000", null, null);
        user("planner", "PLANNER", "990101001000", null, null);
        serverB = new SpringApplicationBuilder(CaregridApplication.class).run("--server.port=0",
                "--caregrid.mode=test", "--caregrid.db.url=" + environment.getProperty("caregrid.db.url"),
                "--caregrid.db.user=" + environment.getProperty("caregrid.db.user"),
                "--caregrid.db.password=" + environment.getProperty("caregrid.db.password"),
                // the same data folder: both open the one road graph in it, read-only
                "--caregrid.home=" + environment.getProperty("caregrid.home"),
                "--caregrid.routing.osm-file=" + MonacoRoads.osmFile());
        clientB = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + serverB.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(java.time.Duration.ofMinutes(2)).build();
        MonacoRoads.awaitReady(routing);
        MonacoRoads.awaitReady(serverB.getBean(RoutingService.class));
    }

    @AfterAll
    void stopServerB() {
        if (serverB != null) {
            serverB.close();
        }
    }

    // ---- sessions

    @Test
    void aLogInOnOneServerIsALogInOnTheOtherUntilLogOut() {
        Map<String, String> cookies = logIn(client, "planner");
        assertThat(me(clientB, cookies)).isEqualTo(200);
        assertThat(me(client, cookies)).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM web_session WHERE username = 'planner'").query(Long.class).single())
                .isEqualTo(1);
        // the row holds the user name, never the password hash or the scope
        assertThat(jdbc.sql("SELECT attributes::text FROM web_session WHERE username = 'planner'")
                .query(String.class).single()).doesNotContain("bcrypt", "990101001000");

        var out = client.post().uri("/logout").cookies(c -> cookies.forEach(c::add))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("_csrf", cookies.get("XSRF-TOKEN")))
                .exchange().expectBody(String.class).returnResult();
        assertThat(out.getStatus().value()).isEqualTo(302);
        assertThat(me(clientB, cookies)).isEqualTo(401);
        assertThat(jdbc.sql("SELECT count(*) FROM web_session WHERE username = 'planner'").query(Long.class).single())
                .isZero();
    }

    @Test
    void anIdleSessionHasExpiredOnEveryServer() {
        Map<String, String> cookies = logIn(clientB, "dispatcher");
        assertThat(me(client, cookies)).isEqualTo(200);
        // idle for longer than the timeout (30 minutes), as the row tells every server
        jdbc.sql("""
                UPDATE web_session SET last_accessed_at = now() - interval '31 minutes',
                       expires_at = now() - interval '1 minute' WHERE username = 'dispatcher'""").update();
        assertThat(me(client, cookies)).isEqualTo(401);
        assertThat(me(clientB, cookies)).isEqualTo(401);
        assertThat(sessions.deleteExpired()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM web_session WHERE username = 'dispatcher'").query(Long.class)
                .single()).isZero();
    }

    private static int me(WebTestClient on, Map<String, String> cookies) {
        return on.get().uri("/api/me").cookie("SESSION", cookies.get("SESSION")).exchange()
                .expectBody(String.class).returnResult().getStatus().value();
    }

    /** A browser's log-in by the form; answers the cookies it holds afterwards. */
    private static Map<String, String> logIn(WebTestClient on, String username) {
        Map<String, String> cookies = new HashMap<>();
        keep(cookies, on.get().uri("/login").exchange().expectBody(String.class).returnResult().getResponseCookies());
        EntityExchangeResult<String> form = on.post().uri("/login").cookies(c -> cookies.forEach(c::add))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", username).with("password", Fixtures.PASSWORD)
                        .with("_csrf", cookies.get("XSRF-TOKEN")))
                .exchange().expectBody(String.class).returnResult();
        assertThat(form.getStatus().value()).isEqualTo(302);
        keep(cookies, form.getResponseCookies());
        assertThat(cookies).containsKey("SESSION");
        keep(cookies, on.get().uri("/login").cookies(c -> cookies.forEach(c::add)).exchange()
                .expectBody(String.class).returnResult().getResponseCookies());
        return cookies;
    }

    private static void keep(Map<String, String> cookies, MultiValueMap<String, ResponseCookie> set) {
        set.forEach((name, values) -> values.forEach(c -> {
            if (c.getValue().isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, c.getValue());
            }
        }));
    }

    // ---- dispatch

    @Test
    void twoDispatchersPlanningOneRequestAtOnceOnTwoServersGiveItToOnePlan() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        List<Callable<EntityExchangeResult<String>>> plans = List.of(
                () -> plan(client, "dispatcher", together), () -> plan(clientB, "dispatcher_b", together));
        List<EntityExchangeResult<String>> answers = both(plans);
        List<Integer> statuses = answers.stream().map(a -> a.getStatus().value()).sorted().toList();
        System.out.println("two plans for request 2 at once: " + statuses);
        assertThat(statuses.get(0)).isEqualTo(200);
        // the other plan either waited for the first and was refused in words, or started after it and found
        // nothing pending
        assertThat(statuses.get(1)).isIn(400, 409);
        answers.stream().filter(a -> a.getStatus().value() == 409).forEach(a ->
                assertThat(a.getResponseBody()).contains("送药请求 2 在排线期间已被另一位调度员的方案安排"));
        assertThat(jdbc.sql("SELECT count(*) FROM route_plan WHERE kind = 'delivery'").query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("""
                SELECT count(*) FROM route_stop WHERE delivery_request_id = 2 AND kind = 'delivery'""")
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT status FROM delivery_request WHERE id = 2").query(String.class).single())
                .isEqualTo("planned");
    }

    private static EntityExchangeResult<String> plan(WebTestClient on, String user, CyclicBarrier together)
            throws Exception {
        together.await();
        return on.post().uri("/api/dispatch/plans").headers(h -> h.setBasicAuth(user, Fixtures.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestIds", List.of(2), "volunteerIds", List.of(7, 8), "timeLimitSeconds", 1,
                        "date", "2026-11-27"))
                .exchange().expectBody(String.class).returnResult();
    }

    // ---- import jobs

    @Test
    void aQueuedJobClaimedByBothServersAtOnceRunsOnOne() throws Exception {
        ImportJobs jobsB = serverB.getBean(ImportJobs.class);
        long id = jobs.create("facilities", "药店.csv", null, "admin");
        CyclicBarrier together = new CyclicBarrier(2);
        List<Boolean> claimed = both(List.of(() -> {
            together.await();
            return jobs.claim(id);
        }, () -> {
            together.await();
            return jobsB.claim(id);
        }));
        assertThat(claimed).containsExactlyInAnyOrder(true, false);
        String winner = jdbc.sql("SELECT runner FROM import_job WHERE id = :id").param("id", id)
                .query(String.class).single();
        assertThat(winner).isIn(serverB.getBean(JobRunner.class).id(), runnerA());

        // a late start of the same job runs nothing and leaves the row to the server that has it
        ImportJobs loser = winner.equals(runnerA()) ? jobsB : jobs;
        ImportJobs.Outcome late = loser.run(id, Path.of("nowhere.csv"), "药店.csv",
                new ImportRequest("facilities", null, null, null), ImportProgress.NONE);
        assertThat(late.succeeded()).isFalse();
        assertThat(jobs.status(id)).containsEntry("status", "running");
        assertThat(jdbc.sql("SELECT runner FROM import_job WHERE id = :id").param("id", id)
                .query(String.class).single()).isEqualTo(winner);
    }

    @Test
    void startUpRecoveryLeavesTheOtherServersJobAndUploadAlone() throws Exception {
        ImportJobs jobsB = serverB.getBean(ImportJobs.class);
        String runnerB = serverB.getBean(JobRunner.class).id();
        long runningOnB = jobsB.create("buildings", "楼栋.zip", null, "admin");
        assertThat(jobsB.claim(runningOnB)).isTrue();
        long crashed = jobs.create("persons", "居民.csv", null, "admin");
        jdbc.sql("UPDATE import_job SET status = 'running', runner = 'crashed.1.0' WHERE id = :id")
                .param("id", crashed).update();
        Path uploads = Files.createDirectories(Path.of(environment.getProperty("caregrid.home"), "uploads"));
        Path uploadOfB = Files.createDirectories(uploads.resolve("import-" + runnerB + "~1").resolve("upload"));
        Path uploadOfCrashed = Files.createDirectories(uploads.resolve("import-crashed.1.0~2").resolve("upload"));
        Files.writeString(uploadOfCrashed.resolve("居民.csv"), "姓名\n王秀英\n");

        jobs.recoverInterrupted(); // as at A's start-up, with B still running

        assertThat(jobs.status(runningOnB)).containsEntry("status", "running");
        assertThat(Files.isDirectory(uploadOfB)).isTrue();
        assertThat(jobs.status(crashed)).containsEntry("status", "failed");
        assertThat(Files.exists(uploadOfCrashed.getParent())).isFalse();
        Files.delete(uploadOfB);
        Files.delete(uploadOfB.getParent());
    }

    private String runnerA() {
        return jobRunnerA.id();
    }

    /** Runs both at once on their own threads; their answers in the same order. */
    private static <T> List<T> both(List<Callable<T>> work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(work.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            work.forEach(w -> futures.add(threads.submit(w)));
            List<T> answers = new ArrayList<>();
            for (Future<T> f : futures) {
                answers.add(f.get(5, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }
}
