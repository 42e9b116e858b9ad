package org.caregrid.server.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every transaction of the server, run once more when PostgreSQL aborts it to break a deadlock (or a
 * serialization failure): the coverage triggers lock per-grid tallies in the order the rows come, so a write
 * and a background refresh (walks after a facility edit, a closing) can each wait for the other. PostgreSQL
 * aborts one of them; its work is rolled back entirely, so running the callback again is what the user asked
 * for. A transaction joined from an outer one is not retried here: the outer one is aborted too, and is retried
 * as a whole if it is ours.
 */
public class RetryingTransactionTemplate extends TransactionTemplate {

    private static final Logger log = LoggerFactory.getLogger(RetryingTransactionTemplate.class);

    private final int attempts;

    public RetryingTransactionTemplate(PlatformTransactionManager manager, int attempts) {
        super(manager);
        this.attempts = attempts;
    }

    @Override
    public <T> T execute(TransactionCallback<T> action) throws TransactionException {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return super.execute(action);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return super.execute(action);
            } catch (ConcurrencyFailureException e) {
                // a stale version is the caller's conflict (412), never something to run again
                if (e instanceof OptimisticLockingFailureException || attempt >= attempts) {
                    throw e;
                }
                log.info("Transaction aborted by the database ({}), attempt {} of {}: running it again",
                        e.getClass().getSimpleName(), attempt, attempts);
            }
        }
    }
}
