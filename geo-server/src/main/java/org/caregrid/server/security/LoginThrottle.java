package org.caregrid.server.security;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Brute-force protection of every log-in (the form, HTTP Basic, bearer tokens). Failed attempts are counted
 * per user name and per client address; once a count reaches its limit ({@link LoginProperties}) the name or
 * the address is locked, first for {@code firstLock}, and each further failure after a lock doubles the lock
 * up to {@code maxLock}. While locked, an attempt is refused without checking its password ({@link LoginLocked},
 * a 429 with {@code Retry-After}), so a correct guess during the lock teaches nothing. A successful log-in
 * clears its user name's count; the address's count only ages out ({@code forgetAfter}), so an attacker who
 * owns one account cannot clear the count of the names they try.
 *
 * <p>Unknown names are counted and locked exactly as known ones, and their passwords are checked against a
 * decoy hash ({@link UserDetailsRepository}), so neither the answer nor its timing tells whether a name exists.
 * A disabled account's wrong or right password is answered as a wrong one, after the same hashing.
 *
 * <p>Checks still running count as well ({@link #attempt}): parallel guesses cannot all pass the limit before the
 * first of them has failed.
 *
 * <p>The counts live in this server's memory: with several servers each counts its own attempts.
 */
@Component
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final LoginProperties limits;
    private final UserDetailsRepository users;
    private final Map<String, Failures> byUser = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();
    // password checks running now, per key; and the signal those waiting for one to end listen to
    private final Map<String, Integer> runningByUser = new java.util.HashMap<>();
    private final Map<String, Integer> runningByAddress = new java.util.HashMap<>();
    private Sinks.Empty<Void> ended = Sinks.empty();
    private volatile Clock clock = Clock.systemUTC();

    LoginThrottle(LoginProperties limits, UserDetailsRepository users) {
        this.limits = limits;
        this.users = users;
    }

    /** How often one key failed, when last, and until when it is locked (null: not locked). */
    private record Failures(int count, Instant last, Instant lockedUntil) {
    }

    /** Wraps a log-in's authentication manager: refuses locked names and addresses, counts failures. */
    ReactiveAuthenticationManager guard(ReactiveAuthenticationManager delegate) {
        return authentication -> Mono.deferContextual(context -> {
            String address = context.<ServerWebExchange>getOrEmpty(ServerWebExchange.class)
                    .map(LoginThrottle::address).orElse(null);
            // a bearer token names no user: only its address is counted
            String user = authentication instanceof UsernamePasswordAuthenticationToken ? authentication.getName() : null;
            return attempt(delegate, authentication, user, address);
        });
    }

    /**
     * One attempt, admitted only while the failures so far plus the checks still running stay below the limit:
     * a burst of parallel guesses gets no more password checks than the limit allows, since they are counted
     * before their answers are in. The others wait (without a thread) for a running check to end and then try
     * again: after failures they find the name locked, after a success they go on, so parallel requests with the
     * right password (QGIS sends many at once) all succeed.
     */
    private Mono<Authentication> attempt(ReactiveAuthenticationManager delegate, Authentication authentication,
                                         String user, String address) {
        Duration wait = waitFor(user, address);
        if (wait != null) {
            return Mono.error(new LoginLocked(wait));
        }
        Mono<Void> busy = admit(user, address);
        if (busy != null) {
            return busy.then(Mono.defer(() -> attempt(delegate, authentication, user, address)));
        }
        return delegate.authenticate(authentication)
                .onErrorResume(AccountStatusException.class, e -> Mono.fromRunnable(() ->
                                users.checkAgainstDecoy(String.valueOf(authentication.getCredentials())))
                        .subscribeOn(Schedulers.boundedElastic())
                        .then(Mono.error(new BadCredentialsException("Invalid Credentials"))))
                .doOnNext(done -> succeeded(user))
                .doOnError(BadCredentialsException.class, e -> failed(user, address))
                // after the count above, so that those waiting see its outcome
                .doFinally(signal -> release(user, address));
    }

    /** Null when the attempt may check its password now (and is counted as running); else when to look again. */
    private synchronized Mono<Void> admit(String user, String address) {
        Instant now = clock.instant();
        if (full(runningByUser, byUser, user, limits.failuresPerUser(), now)
                || full(runningByAddress, byAddress, address, limits.failuresPerAddress(), now)) {
            return ended.asMono();
        }
        if (user != null) {
            runningByUser.merge(user, 1, Integer::sum);
        }
        if (address != null) {
            runningByAddress.merge(address, 1, Integer::sum);
        }
        return null;
    }

    /** At least one check may run for a key that is not locked (after a lock ends, its next failure locks again). */
    private boolean full(Map<String, Integer> running, Map<String, Failures> failures, String key, int limit,
                         Instant now) {
        if (key == null) {
            return false;
        }
        Failures f = failures.get(key);
        int failed = f == null || forgotten(f, now) ? 0 : f.count();
        return running.getOrDefault(key, 0) >= Math.max(1, limit - failed);
    }

    private void release(String user, String address) {
        Sinks.Empty<Void> waiting;
        synchronized (this) {
            if (user != null) {
                runningByUser.computeIfPresent(user, (k, n) -> n > 1 ? n - 1 : null);
            }
            if (address != null) {
                runningByAddress.computeIfPresent(address, (k, n) -> n > 1 ? n - 1 : null);
            }
            waiting = ended;
            ended = Sinks.empty();
        }
        // outside the lock: those waiting try again on this thread
        waiting.tryEmitEmpty();
    }

    /** How long a log-in for this name from this address must wait; null when it may try now. */
    Duration waitFor(String user, String address) {
        Instant now = clock.instant();
        Duration wait = null;
        for (Failures f : new Failures[] {user == null ? null : byUser.get(user), address == null ? null : byAddress.get(address)}) {
            if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
                Duration left = Duration.between(now, f.lockedUntil());
                wait = wait == null || left.compareTo(wait) > 0 ? left : wait;
            }
        }
        return wait;
    }

    void failed(String user, String address) {
        Instant now = clock.instant();
        if (user != null) {
            count(byUser, user, limits.failuresPerUser(), now, "user name");
        }
        if (address != null) {
            count(byAddress, address, limits.failuresPerAddress(), now, "address");
        }
    }

    void succeeded(String user) {
        if (user != null) {
            byUser.remove(user);
        }
    }

    private void count(Map<String, Failures> counts, String key, int limit, Instant now, String what) {
        if (!counts.containsKey(key) && counts.size() >= limits.maxTracked()) {
            makeRoom(counts, now);
        }
        Failures f = counts.compute(key, (k, old) -> {
            int count = old == null || forgotten(old, now) ? 1 : old.count() + 1;
            Instant lockedUntil = count >= limit ? now.plus(lockFor(count - limit)) : null;
            return new Failures(count, now, lockedUntil);
        });
        if (f.lockedUntil() != null) {
            log.warn("Log-in locked for {} s after {} failures of {} {}", Duration.between(now, f.lockedUntil()).toSeconds(),
                    // a name is whatever the caller typed: no line breaks or escapes into the log
                    f.count(), what, key.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    /** The lock after the limit's failure ({@code beyond} 0), doubled by each further one, at most maxLock. */
    private Duration lockFor(int beyond) {
        Duration lock = limits.firstLock();
        for (int i = 0; i < beyond && lock.compareTo(limits.maxLock()) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(limits.maxLock()) > 0 ? limits.maxLock() : lock;
    }

    private boolean forgotten(Failures f, Instant now) {
        boolean locked = f.lockedUntil() != null && now.isBefore(f.lockedUntil());
        return !locked && now.isAfter(f.last().plus(limits.forgetAfter()));
    }

    /** Drops forgotten counts; when that is not enough, unlocked ones (a flood of names must not fill memory). */
    private void makeRoom(Map<String, Failures> counts, Instant now) {
        counts.values().removeIf(f -> forgotten(f, now));
        for (Iterator<Failures> it = counts.values().iterator(); it.hasNext() && counts.size() >= limits.maxTracked(); ) {
            Failures f = it.next();
            if (f.lockedUntil() == null || !now.isBefore(f.lockedUntil())) {
                it.remove();
            }
        }
    }

    private static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    /** Tests: a clock they move instead of waiting. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    /** Tests: forget every count and lock. */
    void forgetAll() {
        byUser.clear();
        byAddress.clear();
    }
}
