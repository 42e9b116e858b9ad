package org.caregrid.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Brute-force protection of the log-in (LoginThrottle) with 3 failures per user name and 8 per address, a first
 * lock of 30 s doubled up to 120 s. The clock is moved by the test, never waited for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"caregrid.mode=test",
        "caregrid.login.failures-per-user=3", "caregrid.login.failures-per-address=8",
        "caregrid.login.first-lock=30s", "caregrid.login.max-lock=120s", "caregrid.login.forget-after=1h"})
// closes the server (its connections) after the class: test databases have few connection slots
@DirtiesContext
class LoginThrottleTest extends ServerTest {

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "login_throttle");
    }

    @MockitoSpyBean
    PasswordEncoder spiedEncoder;

    @Autowired
    LoginThrottle throttle;

    private final MovingClock clock = new MovingClock();

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        user("planner", "PLANNER", "510104020000", null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("worker_gone", "GRID_WORKER", null, 1L, null);
        jdbc.sql("UPDATE app_user SET enabled = false WHERE username = 'worker_gone'").update();
    }

    @BeforeEach
    void freshCounts() {
        throttle.forgetAll();
        throttle.useClock(clock);
    }

    private EntityExchangeResult<Map<String, Object>> basic(String user, String password, String language) {
        return client.get().uri("/api/me").headers(h -> {
                    h.setBasicAuth(user, password);
                    if (language != null) {
                        h.set("Accept-Language", language);
                    }
                }).exchange().expectBody(MAP).returnResult();
    }

    private int status(String user, String password) {
        return basic(user, password, null).getStatus().value();
    }

    private static void assertLocked(EntityExchangeResult<Map<String, Object>> answer, int seconds) {
        assertThat(answer.getStatus().value()).isEqualTo(429);
        assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isEqualTo(Integer.toString(seconds));
        assertThat(answer.getResponseBody()).containsEntry("type", "urn:caregrid:problem:too-many-requests")
                .containsEntry("status", 429);
    }

    @Test
    void wrongPasswordsLockTheUserNameForGrowingTimesAndTheRightOneThenClearsTheCount() {
        assertThat(status("planner", "wrong1")).isEqualTo(401);
        assertThat(status("planner", "wrong2")).isEqualTo(401);
        assertThat(status("planner", "wrong3")).isEqualTo(401);
        // locked: even the right password is not checked
        var locked = basic("planner", Fixtures.PASSWORD, null);
        assertLocked(locked, 30);
        assertThat(locked.getResponseBody()).containsEntry("title", "尝试次数过多")
                .containsEntry("detail", "登录失败次数过多，已暂时锁定，请在 30 秒后再试");
        var english = basic("planner", Fixtures.PASSWORD, "en");
        assertLocked(english, 30);
        assertThat(english.getResponseBody()).containsEntry("title", "Too many attempts")
                .containsEntry("detail", "Too many failed log-ins: locked for now; try again in 30 seconds");
        // another name from the same address is not locked (3 failures < 8)
        assertThat(status("worker_a", Fixtures.PASSWORD)).isEqualTo(200);

        clock.move(Duration.ofSeconds(29));
        assertLocked(basic("planner", Fixtures.PASSWORD, null), 1);
        clock.move(Duration.ofSeconds(1));
        // a fourth wrong password doubles the lock, a fifth (after it) doubles it again, up to 120 s
        assertThat(status("planner", "wrong4")).isEqualTo(401);
        assertLocked(basic("planner", Fixtures.PASSWORD, null), 60);
        clock.move(Duration.ofSeconds(60));
        assertThat(status("planner", "wrong5")).isEqualTo(401);
        assertLocked(basic("planner", Fixtures.PASSWORD, null), 120);
        clock.move(Duration.ofSeconds(120));
        assertThat(status("planner", Fixtures.PASSWORD)).isEqualTo(200);
        // the success cleared the name's count: two more wrong ones do not lock it
        assertThat(status("planner", "wrong6")).isEqualTo(401);
        assertThat(status("planner", "wrong7")).isEqualTo(401);
        assertThat(status("planner", Fixtures.PASSWORD)).isEqualTo(200);
    }

    @Test
    void unknownNamesAreCheckedAgainstAHashAndLockedExactlyAsKnownOnes() {
        clearInvocations(spiedEncoder);
        assertThat(status("nobody", "guess1")).isEqualTo(401);
        // the password encoder ran for the unknown name, as for a known one: no answer before the hashing
        verify(spiedEncoder, times(1)).matches(eq("guess1"), anyString());
        assertThat(status("planner", "guess1")).isEqualTo(401);
        verify(spiedEncoder, times(2)).matches(eq("guess1"), anyString());

        assertThat(status("nobody", "guess2")).isEqualTo(401);
        assertThat(status("nobody", "guess3")).isEqualTo(401);
        assertLocked(basic("nobody", "guess4", null), 30);
        verify(spiedEncoder, times(0)).matches(eq("guess4"), anyString());
    }

    @Test
    void aDisabledAccountIsAnsweredAsAWrongPasswordAfterTheSameHashing() {
        clearInvocations(spiedEncoder);
        var answer = basic("worker_gone", Fixtures.PASSWORD, null);
        assertThat(answer.getStatus().value()).isEqualTo(401);
        verify(spiedEncoder, times(1)).matches(eq(Fixtures.PASSWORD), anyString());
        assertThat(status("worker_gone", "wrong")).isEqualTo(401);
        assertThat(status("worker_gone", "wrong")).isEqualTo(401);
        assertLocked(basic("worker_gone", Fixtures.PASSWORD, null), 30);
    }

    @Test
    void oneAddressIsLockedAfterFailuresAcrossManyNames() {
        for (int i = 1; i <= 8; i++) {
            assertThat(status("name" + i, "pw")).as("failure %d", i).isEqualTo(401);
        }
        // the address is locked for everyone behind it, known names and right passwords included
        assertLocked(basic("worker_a", Fixtures.PASSWORD, null), 30);
        clock.move(Duration.ofSeconds(30));
        assertThat(status("worker_a", Fixtures.PASSWORD)).isEqualTo(200);
        // a success does not clear the address's count: the next failure locks it for 60 s
        assertThat(status("name9", "pw")).isEqualTo(401);
        assertLocked(basic("worker_a", Fixtures.PASSWORD, null), 60);
    }

    /**
     * A browser sends its next request on the same keep-alive connection as soon as an answer arrives, which can
     * be before the server has finished with that answer (a 401 or 429 is written from the log-in's thread). With
     * reactor-netty 1.3.7 such a request was sometimes never read, and the log-in hung (pom.xml, issue 4361).
     */
    @Test
    void everyLogInOnOneKeepAliveConnectionIsAnsweredAfterLocksAndFailures() {
        for (int round = 0; round < 25; round++) {
            throttle.forgetAll();
            for (int i = 1; i <= 8; i++) {
                assertThat(status("name" + i, "pw")).as("round %d, failure %d", round, i).isEqualTo(401);
            }
            assertThat(status("worker_a", Fixtures.PASSWORD)).as("round %d, locked", round).isEqualTo(429);
            clock.move(Duration.ofMinutes(5));
            assertThat(status("worker_a", Fixtures.PASSWORD)).as("round %d, after the lock", round).isEqualTo(200);
        }
    }

    @Test
    void badBearerTokensCountAgainstTheAddress() {
        for (int i = 1; i <= 8; i++) {
            String token = "cg_made_up_" + i;
            assertThat(client.get().uri("/api/me").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectBody(String.class).returnResult().getStatus().value()).isEqualTo(401);
        }
        var answer = client.get().uri("/api/me").headers(h -> h.setBearerAuth("cg_made_up_9")).exchange()
                .expectBody(MAP).returnResult();
        assertLocked(answer, 30);
    }

    @Test
    void aBurstOfParallelGuessesGetsNoMorePasswordChecksThanTheLimit() throws Exception {
        clearInvocations(spiedEncoder);
        java.util.List<Integer> answers = parallel(50, () -> status("planner", "guess"));
        // three checks (the limit), each a 401; the other 47 waited for them and found the name locked
        verify(spiedEncoder, times(3)).matches(eq("guess"), anyString());
        assertThat(answers.stream().filter(s -> s == 401).count()).isEqualTo(3);
        assertThat(answers.stream().filter(s -> s == 429).count()).isEqualTo(47);
    }

    @Test
    void parallelRequestsWithTheRightPasswordAllSucceed() throws Exception {
        // as QGIS loads a map: many Basic requests at once, more than the failure limit
        assertThat(parallel(20, () -> status("worker_a", Fixtures.PASSWORD))).hasSize(20).containsOnly(200);
    }

    /** The answers of {@code n} calls made at once, each on its own thread, released together. */
    private static java.util.List<Integer> parallel(int n, java.util.concurrent.Callable<Integer> call) throws Exception {
        var together = new java.util.concurrent.CyclicBarrier(n);
        var threads = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < n; i++) {
                futures.add(threads.submit(() -> {
                    together.await();
                    return call.call();
                }));
            }
            var answers = new java.util.ArrayList<Integer>();
            for (var f : futures) {
                answers.add(f.get(5, java.util.concurrent.TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theLogInFormIsLockedToo() {
        Map<String, String> cookies = new HashMap<>();
        var page = client.get().uri("/login").exchange().expectBody(String.class).returnResult();
        keep(cookies, page.getResponseCookies());
        for (int i = 1; i <= 3; i++) {
            var failed = form(cookies, "wrong" + i);
            assertThat(failed.getStatus().value()).isEqualTo(302);
            assertThat(failed.getResponseHeaders().getLocation()).hasToString("/login?error");
        }
        var locked = form(cookies, Fixtures.PASSWORD);
        assertThat(locked.getStatus().value()).isEqualTo(429);
        assertThat(locked.getResponseHeaders().getFirst("Retry-After")).isEqualTo("30");
        assertThat(locked.getResponseBody()).contains("urn:caregrid:problem:too-many-requests");
        assertThat(locked.getResponseCookies()).doesNotContainKey("SESSION");
    }

    private EntityExchangeResult<String> form(Map<String, String> cookies, String password) {
        return client.post().uri("/login").cookies(c -> cookies.forEach(c::add))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", "worker_a").with("password", password)
                        .with("_csrf", cookies.get("XSRF-TOKEN")))
                .exchange().expectBody(String.class).returnResult();
    }

    private static void keep(Map<String, String> cookies, org.springframework.util.MultiValueMap<String, ResponseCookie> set) {
        set.forEach((name, values) -> values.forEach(c -> cookies.put(name, c.getValue())));
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-30T02:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
