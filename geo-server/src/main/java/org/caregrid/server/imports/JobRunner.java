package org.caregrid.server.imports;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * This server as a runner of import jobs, beside others on the same database (docs/scaling.md). It has an id of
 * its own for each start ({@code host.pid.random}) and holds a PostgreSQL advisory lock named by that id on one
 * connection for as long as it lives: the lock is free exactly when the runner is gone (stopped, crashed, cut
 * off from the database), so another server's start-up recovery can tell a job cut off by a crash from a job
 * that a live server is running ({@link #gone}), without heartbeats or clocks.
 */
@Component
public class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** The advisory lock namespace of job runners ("cg" 1); the runner's id is hashed into the second key. */
    static final int LOCK_CLASS = 0x63670001;

    /**
     * SQL that is true when the runner named by the text expression {@code runner} is gone. Trying its lock in
     * the statement's own transaction (autocommit) holds it only for that statement: the test leaves nothing behind.
     */
    static String gone(String runner) {
        return "pg_try_advisory_xact_lock(" + LOCK_CLASS + ", hashtext(" + runner + "))";
    }

    private final DataSource dataSource;
    private final String id;
    private Connection lock;

    JobRunner(DataSource dataSource) {
        this.dataSource = dataSource;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        // the id names upload folders too: letters, digits, dots and dashes only
        this.id = (host + "." + ProcessHandle.current().pid() + "." + HexFormat.of().formatHex(random())).replaceAll("[^A-Za-z0-9.-]", "-");
    }

    private static byte[] random() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    public String id() {
        return id;
    }

    /**
     * Makes sure this runner's lock is held before it claims a job: taken at the first claim, and again on a
     * new connection when the database was lost meanwhile (a restarted PostgreSQL forgets every lock).
     */
    synchronized void hold() {
        try {
            if (lock != null && lock.isValid(2)) {
                return;
            }
            if (lock != null) {
                closeQuietly();
            }
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
                s.setInt(1, LOCK_CLASS);
                s.setString(2, id);
                s.execute();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            lock = c;
        } catch (SQLException e) {
            throw new IllegalStateException("could not register this server as a job runner: " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            lock.close();
        } catch (SQLException e) {
            log.debug("Closing the job runner's lock connection: {}", e.getMessage());
        }
        lock = null;
    }

    /** The lock ends with its connection; other servers then see this runner as gone. */
    @Override
    public synchronized void close() {
        if (lock != null) {
            try (PreparedStatement s = lock.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                s.setInt(1, LOCK_CLASS);
                s.setString(2, id);
                s.execute();
            } catch (SQLException e) {
                log.debug("Releasing the job runner's lock: {}", e.getMessage());
            }
            closeQuietly();
        }
    }
}
