package org.caregrid.server.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the log-in's brute-force protection ({@code caregrid.login.*}, {@link LoginThrottle}).
 *
 * @param failuresPerUser    wrong passwords for one user name before it is locked (default 5)
 * @param failuresPerAddress failed log-ins (any name, or a bad token) from one client address before it is
 *                           locked (default 30: an office behind one address has many users)
 * @param firstLock          how long the first lock lasts (default 30 s); every further failure after a lock
 *                           doubles it
 * @param maxLock            the longest lock (default 15 min)
 * @param forgetAfter        failures older than this are forgotten (default 1 h)
 * @param maxTracked         how many names and addresses are remembered at most (default 100 000), so that a
 *                           flood of made-up names cannot fill the memory
 */
@ConfigurationProperties("caregrid.login")
public record LoginProperties(Integer failuresPerUser, Integer failuresPerAddress, Duration firstLock,
                              Duration maxLock, Duration forgetAfter, Integer maxTracked) {

    public LoginProperties {
        if (failuresPerUser == null) {
            failuresPerUser = 5;
        }
        if (failuresPerAddress == null) {
            failuresPerAddress = 30;
        }
        if (firstLock == null) {
            firstLock = Duration.ofSeconds(30);
        }
        if (maxLock == null) {
            maxLock = Duration.ofMinutes(15);
        }
        if (forgetAfter == null) {
            forgetAfter = Duration.ofHours(1);
        }
        if (maxTracked == null) {
            maxTracked = 100_000;
        }
    }
}
