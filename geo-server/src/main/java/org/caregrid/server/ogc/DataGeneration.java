package org.caregrid.server.ogc;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The database's data generation (V23): it moves with every write to places, persons, assignments, visits
 * and facilities. Cached tiles and coverage rows carry the generation they were made at and are made again
 * once it has moved, so an edit shows on the next request.
 */
@Component
class DataGeneration {

    private final JdbcClient jdbc;

    DataGeneration(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long now() {
        return jdbc.sql("SELECT last_value FROM data_generation").query(Long.class).single();
    }
}
