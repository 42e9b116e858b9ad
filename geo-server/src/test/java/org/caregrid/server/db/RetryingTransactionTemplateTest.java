package org.caregrid.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two transactions that lock two rows in opposite orders deadlock; PostgreSQL aborts one, and the template runs
 * it again, so both writes land. Real PostgreSQL: the deadlock and its detection are the database's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryingTransactionTemplateTest {

    private static final Duration BOUND = Duration.ofMinutes(2);

    private JdbcClient jdbc;
    private RetryingTransactionTemplate transactions;

    @BeforeAll
    void database() {
        TestDatabase.DbCoordinates db = TestDatabase.fresh("retrying_transactions");
        DriverManagerDataSource source = new DriverManagerDataSource(db.url(), db.user(), db.password());
        jdbc = JdbcClient.create(source);
        transactions = new RetryingTransactionTemplate(new DataSourceTransactionManager(source), 3);
        jdbc.sql("CREATE TABLE tally (id int PRIMARY KEY, n int NOT NULL)").update();
        jdbc.sql("INSERT INTO tally VALUES (1, 0), (2, 0)").update();
    }

    /** Adds one to both rows, first {@code first}, then the other, once both transactions hold their first row. */
    private CompletableFuture<Void> addToBoth(int first, CountDownLatch bothHoldOne, AtomicInteger attempts) {
        return CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            attempts.incrementAndGet();
            jdbc.sql("UPDATE tally SET n = n + 1 WHERE id = :id").param("id", first).update();
            bothHoldOne.countDown();
            try {
                // the second attempt finds the latch open: by then the other transaction has its rows
                assertThat(bothHoldOne.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            jdbc.sql("UPDATE tally SET n = n + 1 WHERE id = :id").param("id", 3 - first).update();
        }));
    }

    @Test
    void theTransactionPostgresqlAbortsToBreakADeadlockRunsAgainAndBothWritesLand() throws Exception {
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> a = addToBoth(1, bothHoldOne, attempts);
        CompletableFuture<Void> b = addToBoth(2, bothHoldOne, attempts);
        CompletableFuture.allOf(a, b).get(BOUND.toSeconds(), TimeUnit.SECONDS);

        assertThat(attempts.get()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT n FROM tally ORDER BY id").query(Integer.class).list()).containsExactly(2, 2);
    }

    @Test
    void aStaleVersionIsNeverRunAgain() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            attempts.incrementAndGet();
            throw new OptimisticLockingFailureException("stale");
        })).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(attempts.get()).isEqualTo(1);
    }
}
