package org.caregrid.server.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** A log-in refused unchecked because its user name or its address is locked ({@link LoginThrottle}). */
final class LoginLocked extends AuthenticationException {

    private final Duration retryAfter;

    LoginLocked(Duration retryAfter) {
        super("too many failed log-ins");
        this.retryAfter = retryAfter;
    }

    /** Whole seconds until the next attempt may be checked; at least 1. */
    long retryAfterSeconds() {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
