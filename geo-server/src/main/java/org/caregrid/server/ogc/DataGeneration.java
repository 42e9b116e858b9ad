package org.caregrid.server.ogc;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The database's data generation (V23): it moves with every write to places, persons, assignments, visits
 * and facilities. Cached tiles and coverage rows carry the generation they were made at and are made again
 * once it has moved, so an edit shows on the next request; tiles of layers drawn at their own place ask
 * only whether a write since then landed inside them (V37's data_change extents).
 */
@Component
class DataGeneration {

    private static final long PRUNE_EVERY_NANOS = 60_000_000_000L;

    private final JdbcClient jdbc;
    private final long keepSeconds;
    private final AtomicLong lastPrune = new AtomicLong(System.nanoTime());

    /** @param keepSeconds how long a change is remembered: longer than any cached tile lives */
    DataGeneration(JdbcClient jdbc, @Value("${caregrid.ogc.tile-cache.ttl-seconds:300}") long keepSeconds) {
        this.jdbc = jdbc;
        this.keepSeconds = keepSeconds + 60;
    }

    long now() {
        return jdbc.sql("SELECT last_value FROM data_generation").query(Long.class).single();
    }

    /**
     * Whether a write after {@code generation} touched the polygon {@code envelopeSql} (its parameters in
     * {@code params}), or was of no particular place.
     */
    boolean changedSince(long generation, String envelopeSql, Map<String, Object> params) {
        pruneNowAndThen();
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM data_change WHERE generation > :made AND (extent IS NULL OR extent && "
                        + envelopeSql + "))")
                .params(params).param("made", generation).query(Boolean.class).single();
    }

    private void pruneNowAndThen() {
        long last = lastPrune.get();
        if (System.nanoTime() - last > PRUNE_EVERY_NANOS && lastPrune.compareAndSet(last, System.nanoTime())) {
            jdbc.sql("DELETE FROM data_change WHERE made_at < now() - make_interval(secs => :keep)")
                    .param("keep", keepSeconds).update();
        }
    }
}
