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

        boolean listed(DrillDown.Status status) {
            return status == DrillDown.Status.ALL || (status == DrillDown.Status.GAP) == (items > ok);
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
    List<Counted> worstFirst(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf) {
        return kept.<List<Counted>>counts(CoverageCounts.Key.of(metric.id() + " buildings", scope, area, asOf),
                () -> sorted(queries.buildingTallies(metric, area, scope, asOf)),
                (old, changes) -> !changes.touch(metric) ? old : sorted(queries.buildingTallies(metric, area, scope, asOf)));
    }

    /** The tallies added up per building, worst first. */
    private static List<Counted> sorted(List<Tally> tallies) {
        // a building lies in one place but for a few: about as many buildings as tallies
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
        return Collections.unmodifiableList(Arrays.asList(counted));
    }

    /** Drops every kept list: the next is sorted again from the summary's counts (the benchmark's first click). */
    void forget() {
        kept.forget();
    }
}
