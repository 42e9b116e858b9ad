package org.caregrid.server.coverage;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.caregrid.server.security.AreaScope;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The buildings behind a figure, worst first: their counts per building and place (its grid; for items in no grid,
 * their area) come from the place's summary, which counts them in its own pass over the maintained state and keeps
 * them as it keeps its figures ({@link CoverageQueries#buildingTallies}). The list sorted from them is kept here by the
 * same rules ({@link CoverageCounts}), so that a page is a slice: while nothing the metric reads changes in the place
 * it stands, and after a write it is made again from the summary's counts, which count only the written grid again.
 */
@Component
class BuildingCounts {

    /** A building's items in one place (the place is where the summary keeps it). */
    record Tally(long buildingId, long items, long ok) {
    }

    /** A building's items in the list's place, all told. */
    record Counted(long buildingId, long items, long ok) {

        long gaps() {
            return items - ok;
        }

    }

    /**
     * The buildings worst first; those with a gap are the first {@code withGaps}, so a list of gaps or of buildings
     * without one is a slice of it, not a filtered copy made again for every page.
     */
    record Sorted(List<Counted> all, int withGaps) {

        List<Counted> listed(DrillDown.Status status) {
            return switch (status) {
                case ALL -> all;
                case GAP -> all.subList(0, withGaps);
                case OK -> all.subList(withGaps, all.size());
            };
        }
    }

    /**
     * Worst first: the most gaps, then the most items, then by id (the order of the pages and of the export). Written
     * out rather than composed: a district's first click at 10 M residents sorts 130 000 buildings with it.
     */
    static final Comparator<Counted> WORST_FIRST = (a, b) -> {
        int order = Long.compare(b.gaps(), a.gaps());
        if (order == 0) {
            order = Long.compare(b.items(), a.items());
        }
        return order != 0 ? order : Long.compare(a.buildingId(), b.buildingId());
    };

    // a sort key of the primitive sort: gaps and items, each inverted so that more sorts first, above the building's
    // position in a list ordered by id, which breaks ties as WORST_FIRST does
    private static final int POSITION_BITS = 20;
    private static final int COUNT_BITS = 21;
    private static final long COUNT_MAX = (1L << COUNT_BITS) - 1;
    private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
    private static final long ID_LIMIT = 1L << (Long.SIZE - 1 - POSITION_BITS);

    private final CoverageQueries queries;
    private final CoverageCounts kept;

    BuildingCounts(JdbcClient jdbc, CoverageQueries queries,
                   // a district's list at 10 M residents is 100 000 buildings or more: a few lists only
                   @Value("${caregrid.coverage.building-count-cache.max-entries:16}") int maxEntries,
                   @Value("${caregrid.coverage.count-cache.ttl-seconds:300}") long ttlSeconds) {
        this.queries = queries;
        this.kept = new CoverageCounts(jdbc, maxEntries, ttlSeconds);
    }

    /** The buildings of the metric's items in the area that the scope sees on the day, worst first. */
    Sorted worstFirst(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf) {
        return kept.<Sorted>counts(CoverageCounts.Key.of(metric.id() + " buildings", scope, area, asOf),
                () -> sorted(queries.buildingTallies(metric, area, scope, asOf)),
                (old, changes) -> !changes.touch(metric) ? old : sorted(queries.buildingTallies(metric, area, scope, asOf)));
    }

    /**
     * The tallies added up per building, worst first. A district of a 10 M city has 130 000 buildings: sorting them
     * as objects with {@link #WORST_FIRST} (and adding them up in a map of boxed ids) took 45-80 ms of its first
     * click, two sorts of primitive keys take about a third of that. Counts or ids past the keys' bits take the
     * comparator; both give the same order.
     */
    static Sorted sorted(List<Tally> tallies) {
        int n = tallies.size();
        if (n > POSITION_MASK) {
            return byComparator(tallies);
        }
        long[] byId = new long[n];
        for (int i = 0; i < n; i++) {
            long id = tallies.get(i).buildingId();
            if (id < 0 || id >= ID_LIMIT) {
                return byComparator(tallies);
            }
            byId[i] = id << POSITION_BITS | i;
        }
        Arrays.sort(byId);
        long[] ids = new long[n];
        long[] items = new long[n];
        long[] ok = new long[n];
        int buildings = 0;
        for (long key : byId) {
            Tally t = tallies.get((int) (key & POSITION_MASK));
            if (buildings == 0 || ids[buildings - 1] != t.buildingId()) {
                ids[buildings++] = t.buildingId();
            }
            items[buildings - 1] += t.items();
            ok[buildings - 1] += t.ok();
        }
        long[] order = new long[buildings];
        for (int i = 0; i < buildings; i++) {
            long gaps = items[i] - ok[i];
            if (gaps < 0 || ok[i] < 0 || items[i] > COUNT_MAX) {
                return byComparator(tallies);
            }
            order[i] = (COUNT_MAX - gaps) << (COUNT_BITS + POSITION_BITS) | (COUNT_MAX - items[i]) << POSITION_BITS | i;
        }
        Arrays.sort(order);
        Counted[] counted = new Counted[buildings];
        int withGaps = 0;
        for (int rank = 0; rank < buildings; rank++) {
            int i = (int) (order[rank] & POSITION_MASK);
            counted[rank] = new Counted(ids[i], items[i], ok[i]);
            if (items[i] > ok[i]) {
                withGaps++;
            }
        }
        return new Sorted(Collections.unmodifiableList(Arrays.asList(counted)), withGaps);
    }

    /** As {@link #sorted}, for any counts and ids. */
    static Sorted byComparator(List<Tally> tallies) {
        Map<Long, long[]> perBuilding = new HashMap<>(tallies.size() * 4 / 3 + 1);
        for (Tally t : tallies) {
            long[] sums = perBuilding.computeIfAbsent(t.buildingId(), id -> new long[2]);
            sums[0] += t.items();
            sums[1] += t.ok();
        }
        Counted[] counted = new Counted[perBuilding.size()];
        int next = 0;
        for (Map.Entry<Long, long[]> building : perBuilding.entrySet()) {
            counted[next++] = new Counted(building.getKey(), building.getValue()[0], building.getValue()[1]);
        }
        Arrays.sort(counted, WORST_FIRST);
        int withGaps = (int) Arrays.stream(counted).filter(c -> c.items() > c.ok()).count();
        return new Sorted(Collections.unmodifiableList(Arrays.asList(counted)), withGaps);
    }

    /** Drops every kept list: the next is sorted again from the summary's counts (the benchmark's first click). */
    void forget() {
        kept.forget();
    }
}
