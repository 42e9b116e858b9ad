package org.caregrid.server.coverage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A place's counts per day as they were last read from the maintained state, with the database snapshot
 * they were read in. They are served again while no transaction that snapshot did not see has changed the
 * state of that place (V38's coverage_change, written by statement triggers): the figures are the ones
 * stored, not a pass over every key person per request, and a write in one grid leaves the counts of the
 * other places standing. A count is kept at most {@code ttl-seconds}, so that the change rows it could still
 * need are never pruned before it goes. Size 0 turns it off.
 */
@Component
public class CoverageCounts {

    /** The counts of one request's place, scope and day. */
    record Key(String scope, String areaPrefix, Long onlyGrid, java.time.LocalDate asOf) {
    }

    private record Entry(Object counts, String snapshot, long madeAt) {
    }

    private record Sample(long at, String snapshot) {
    }

    private static final String CHANGED_SINCE = """
            SELECT EXISTS (SELECT 1 FROM coverage_change c
                            WHERE NOT pg_visible_in_snapshot(c.xid, CAST(:snapshot AS pg_snapshot))
                              AND (c.area_code IS NULL
                                   OR c.area_code LIKE :area_prefix
                                      AND (CAST(:only_grid AS bigint) IS NULL OR c.grid_id IS NULL OR c.grid_id = :only_grid)))
            """;

    private final JdbcClient jdbc;
    private final int maxEntries;
    private final long ttlNanos;
    private final Map<Key, Entry> entries;
    // snapshots taken now and then: change rows that one older than any kept count saw are seen by all counts
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long served;

    CoverageCounts(JdbcClient jdbc, @Value("${caregrid.coverage.count-cache.max-entries:2000}") int maxEntries,
                   @Value("${caregrid.coverage.count-cache.ttl-seconds:300}") long ttlSeconds) {
        this.jdbc = jdbc;
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > CoverageCounts.this.maxEntries;
            }
        };
    }

    /**
     * The counts for {@code key}: the stored ones while nothing they were read from has changed since, else
     * what {@code count} reads now, stored with the snapshot taken just before it (a change that lands between
     * the two is counted and still makes the next request count again: harmless).
     */
    @SuppressWarnings("unchecked")
    <T> T counts(Key key, Supplier<T> count) {
        if (maxEntries <= 0) {
            return count.get();
        }
        Entry entry;
        synchronized (this) {
            entry = entries.get(key);
        }
        long now = System.nanoTime();
        if (entry != null && now - entry.madeAt() < ttlNanos && !changedSince(entry.snapshot(), key)) {
            synchronized (this) {
                served++;
            }
            return (T) entry.counts();
        }
        String snapshot = snapshot();
        T counts = count.get();
        synchronized (this) {
            entries.put(key, new Entry(counts, snapshot, now));
        }
        prune(now, snapshot);
        return counts;
    }

    /** How many requests were answered from stored counts since start. */
    public synchronized long served() {
        return served;
    }

    /** Drops every stored count: the next summaries count afresh (the benchmark's reference). */
    public synchronized void forget() {
        entries.clear();
    }

    private boolean changedSince(String snapshot, Key key) {
        return jdbc.sql(CHANGED_SINCE).param("snapshot", snapshot).param("area_prefix", key.areaPrefix())
                .param("only_grid", key.onlyGrid()).query(Boolean.class).single();
    }

    private String snapshot() {
        return jdbc.sql("SELECT CAST(pg_current_snapshot() AS text)").query(String.class).single();
    }

    /**
     * Drops the change rows that a snapshot sampled longer ago than any count lives already saw: every kept
     * count's snapshot (on this server or another) is younger, so it saw them too.
     */
    private void prune(long now, String snapshot) {
        String old = null;
        synchronized (this) {
            if (samples.isEmpty() || now - samples.peekLast().at() > ttlNanos / 5) {
                samples.addLast(new Sample(now, snapshot));
            }
            while (samples.size() > 1 && now - samples.peekFirst().at() > ttlNanos * 2) {
                old = samples.removeFirst().snapshot();
            }
        }
        if (old != null) {
            jdbc.sql("DELETE FROM coverage_change WHERE pg_visible_in_snapshot(xid, CAST(:snapshot AS pg_snapshot))")
                    .param("snapshot", old).update();
        }
    }
}
