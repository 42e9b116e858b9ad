package org.caregrid.server.coverage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.caregrid.server.db.DbSession;
import org.caregrid.server.security.AreaScope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A place's counts per day as they were last read from the maintained state, with the database snapshot
 * they were read in, kept per community and grid. When a transaction that snapshot did not see has changed
 * the state (V38's coverage_change, written by statement triggers), only the grids it changed (and, for items
 * in no grid, their areas), and there only the metrics that read a table it changed (V40), are counted again and
 * put in beside the counts of the others: a write in one grid
 * costs the next summary of the district one grid's count, not a pass over every key person. A change whose
 * place is unknown, or changes in more places than {@link #MAX_RECOUNTED_PLACES}, count the whole place again.
 * A count is kept at most {@code ttl-seconds} after its snapshot, so that the change rows it could still need are
 * never pruned before it goes; a count read while nothing changed past half that time takes a new snapshot and
 * lives on. Size 0 turns it off.
 */
@Component
public class CoverageCounts {

    /** The counts of one request's place, scope and day. */
    record Key(String scope, String areaPrefix, Long onlyGrid, java.time.LocalDate asOf) {

        /** The counts of {@code what} in a place on a day, as the current session and {@code scope} see them. */
        static Key of(String what, AreaScope scope, CoverageArea area, java.time.LocalDate asOf) {
            return new Key(DbSession.visibility() + "|" + scope + "|" + what, area.prefix() + "%", area.gridId(), asOf);
        }
    }

    /**
     * The places changed since a snapshot: grids by id and, for the items in no grid (a street's), their area
     * codes; and the tables changed there. Counts of any other place, and of metrics that read none of those
     * tables, still stand.
     */
    public record Changes(java.util.Set<Long> grids, java.util.Set<String> gridlessAreas, java.util.Set<String> tables) {

        boolean none() {
            return grids.isEmpty() && gridlessAreas.isEmpty();
        }

        /** Whether the metric reads a table that changed. */
        public boolean touch(Metric metric) {
            return metric.maintainedTables().stream().anyMatch(tables::contains);
        }

        /** Whether counts of this community (or street) and grid (null: none) are among those changed. */
        public boolean touch(String areaCode, Long gridId) {
            return gridId != null ? grids.contains(gridId) : gridlessAreas.contains(areaCode);
        }
    }

    /** Counts that say how many rows they hold, which the kept ones may hold at most {@code max-rows} of together. */
    interface Sized {
        long rows();
    }

    /** More changed places than this and a place is counted whole again (as fast, and one statement). */
    static final int MAX_RECOUNTED_PLACES = 200;

    /** The change rows (place and table) read at most: when as many come, some may be unread, and all is counted again. */
    private static final int CHANGE_ROWS_READ = 4 * MAX_RECOUNTED_PLACES + 1;

    /** Kept counts, with the rows they hold (counted once: a district's are a hundred thousand and more). */
    private record Entry(Object counts, String snapshot, long madeAt, long rows) {

        Entry(Object counts, String snapshot, long madeAt) {
            this(counts, snapshot, madeAt, counts instanceof Sized sized ? sized.rows() : 1);
        }
    }

    private record Sample(long at, String snapshot) {
    }

    /**
     * The places changed by transactions a snapshot did not see (xids below its xmin it saw, so the index on xid
     * skips them); a row with no area: a change of unknown place.
     */
    private static final String CHANGED_SINCE = """
            SELECT DISTINCT c.grid_id, c.area_code, c.tab FROM coverage_change c
             WHERE c.xid >= pg_snapshot_xmin(CAST(:snapshot AS pg_snapshot))
               AND NOT pg_visible_in_snapshot(c.xid, CAST(:snapshot AS pg_snapshot))
               AND (c.area_code IS NULL
                    OR c.area_code LIKE :area_prefix
                       AND (CAST(:only_grid AS bigint) IS NULL OR c.grid_id IS NULL OR c.grid_id = :only_grid))
             LIMIT :limit
            """;

    private final JdbcClient jdbc;
    private final int maxEntries;
    private final long maxRows;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<Key, Entry> entries;
    // snapshots taken now and then: change rows that one older than any kept count saw are seen by all counts
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long served;
    private long recounted;
    // the rows the kept counts hold together
    private long rows;

    /**
     * @param maxRows the rows all kept counts may hold together: a 10 M city's district summary keeps a million (its
     *                buildings per metric), a grid's a few hundred
     */
    @Autowired
    CoverageCounts(JdbcClient jdbc, @Value("${caregrid.coverage.count-cache.max-entries:2000}") int maxEntries,
                   @Value("${caregrid.coverage.count-cache.max-rows:4000000}") long maxRows,
                   @Value("${caregrid.coverage.count-cache.ttl-seconds:300}") long ttlSeconds) {
        this(jdbc, maxEntries, maxRows, ttlSeconds, System::nanoTime);
    }

    /** Counts limited in number only. */
    CoverageCounts(JdbcClient jdbc, int maxEntries, long ttlSeconds) {
        this(jdbc, maxEntries, Long.MAX_VALUE, ttlSeconds, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} */
    CoverageCounts(JdbcClient jdbc, int maxEntries, long maxRows, long ttlSeconds, LongSupplier clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxRows = maxRows;
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.entries = new LinkedHashMap<>(64, 0.75f, true);
    }

    /**
     * The counts for {@code key}: the stored ones while nothing they were read from has changed since; else,
     * when only some grids changed, {@code recount} of the stored counts and those places; else what
     * {@code count} reads now. Either is stored with the snapshot taken just before it (a change that lands
     * between the two is counted and still makes the next request count its place again: harmless).
     */
    @SuppressWarnings("unchecked")
    <T> T counts(Key key, Supplier<T> count, java.util.function.BiFunction<T, Changes, T> recount) {
        if (maxEntries <= 0) {
            return count.get();
        }
        Entry entry;
        synchronized (this) {
            entry = entries.get(key);
        }
        long now = clock.getAsLong();
        boolean alive = entry != null && now - entry.madeAt() < ttlNanos;
        // counts past half their time that nothing changed are kept on with a new snapshot, so that counts in use do
        // not expire (a district counted afresh takes a second at 1 M residents); the snapshot is taken before the
        // changes are read, so a change it does not see is among those read
        String renewal = alive && now - entry.madeAt() > ttlNanos / 2 ? snapshot() : null;
        Optional<Changes> changes = alive ? changesSince(entry.snapshot(), key) : Optional.empty();
        if (changes.isPresent() && changes.get().none()) {
            synchronized (this) {
                served++;
                if (renewal != null) {
                    keep(key, new Entry(entry.counts(), renewal, now, entry.rows()));
                }
            }
            if (renewal != null) {
                prune(now, renewal);
            }
            return (T) entry.counts();
        }
        String snapshot = snapshot();
        T counts;
        if (changes.isPresent()) {
            counts = recount.apply((T) entry.counts(), changes.get());
            synchronized (this) {
                recounted++;
            }
        } else {
            counts = count.get();
        }
        synchronized (this) {
            keep(key, new Entry(counts, snapshot, now));
        }
        prune(now, snapshot);
        return counts;
    }

    /** Stores an entry, then lets the least recently used go while there are too many or they hold too many rows. */
    private void keep(Key key, Entry entry) {
        Entry old = entries.put(key, entry);
        rows += entry.rows() - (old == null ? 0 : old.rows());
        var eldest = entries.values().iterator();
        while (entries.size() > 1 && (entries.size() > maxEntries || rows > maxRows)) {
            rows -= eldest.next().rows();
            eldest.remove();
        }
    }

    /** How many requests were answered from stored counts since start. */
    public synchronized long served() {
        return served;
    }

    /** How many requests were answered by counting again only the places that changed, since start. */
    public synchronized long recounted() {
        return recounted;
    }

    /** Drops every stored count: the next summaries count afresh (the benchmark's reference). */
    public synchronized void forget() {
        entries.clear();
        rows = 0;
    }

    /** The places changed since {@code snapshot}; empty when a place is unknown or too many changed. */
    private Optional<Changes> changesSince(String snapshot, Key key) {
        java.util.Set<Long> grids = new java.util.HashSet<>();
        java.util.Set<String> areas = new java.util.HashSet<>();
        java.util.Set<String> tables = new java.util.HashSet<>();
        boolean[] unknown = {false};
        int[] rows = {0};
        jdbc.sql(CHANGED_SINCE).param("snapshot", snapshot).param("area_prefix", key.areaPrefix())
                .param("only_grid", key.onlyGrid()).param("limit", CHANGE_ROWS_READ).query(rs -> {
                    rows[0]++;
                    Long grid = (Long) rs.getObject("grid_id");
                    String area = rs.getString("area_code");
                    String table = rs.getString("tab");
                    tables.add(table);
                    if (area == null || table == null) {
                        unknown[0] = true;
                    } else if (grid != null) {
                        grids.add(grid);
                    } else {
                        areas.add(area);
                    }
                });
        // a row from before V40 names no table; too many places: as fast counted whole, in one statement each
        if (unknown[0] || rows[0] >= CHANGE_ROWS_READ || grids.size() + areas.size() > MAX_RECOUNTED_PLACES) {
            return Optional.empty();
        }
        return Optional.of(new Changes(grids, areas, tables));
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
