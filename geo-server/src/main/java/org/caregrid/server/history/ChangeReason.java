package org.caregrid.server.history;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Why a change is made, for the change history: the database's history trigger reads it from the
 * transaction (so it must be set inside the same transaction as the write).
 */
public final class ChangeReason {

    private ChangeReason() {
    }

    public static void set(JdbcClient jdbc, String reason) {
        jdbc.sql("SELECT set_config('caregrid.reason', :reason, true)")
                .param("reason", reason == null ? "" : reason).query(String.class).single();
    }
}
