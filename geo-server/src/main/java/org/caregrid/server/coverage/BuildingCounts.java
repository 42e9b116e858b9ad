package org.caregrid.server.coverage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The counts behind a figure's list of buildings, per building and place (its grid; for items in no grid, their
 * area), read from the maintained state and kept as the summary's are ({@link CoverageCounts}): while the places
 * they were read from do not change they stand, and a write counts only its grid's buildings again. A district's
 * list is one pass over its key persons (60–73 ms at 1 M residents); its next pages, and the planner coming back
 * to it, are sorted from the kept counts.
 */
@Component
class BuildingCounts {

    /** A building's items in one place. */
    record Tally(long buildingId, Long gridId, String areaCode, long items, long ok) {
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

    /** Worst first: the most gaps, then the most items, then by id (the order of the pages and of the export). */
    static final Comparator<Counted> WORST_FIRST = Comparator.comparingLong(Counted::gaps).reversed()
            .thenComparing(Comparator.comparingLong(Counted::items).reversed())
            .thenComparingLong(Counted::buildingId);

    private static final String TALLIES = """
            WITH item AS (%s)
            SELECT i.building_id, i.grid_id, CASE WHEN i.grid_id IS NULL THEN i.area_code END AS area_code,
                   count(*) AS items, count(*) FILTER (WHERE i.ok) AS ok
              FROM item i
             WHERE i.building_id IS NOT NULL AND %s
             GROUP BY 1, 2, 3
            """;

    private final JdbcClient jdbc;
    private final CoverageQueries queries;
    private final CoverageCounts kept;

    BuildingCounts(JdbcClient jdbc, CoverageQueries queries,
                   // a district's list at 10 M residents is 100 000 buildings or more: a few lists only
                   @Value("${caregrid.coverage.building-count-cache.max-entries:16}") int maxEntries,
                   @Value("${caregrid.coverage.count-cache.ttl-seconds:300}") long ttlSeconds) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.kept = new CoverageCounts(jdbc, maxEntries, ttlSeconds);
    }

    /** The buildings of the metric's items in the area that the scope sees on the day, worst first. */
    List<Counted> worstFirst(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = queries.placeParameters(area, scoped, asOf);
        return kept.<Kept>counts(CoverageCounts.Key.of(metric.id() + " buildings", scope, area, asOf),
                () -> Kept.of(tallies(metric, scoped, params)),
                (old, changes) -> !changes.touch(metric) ? old
                        : Kept.of(Stream.concat(old.tallies().stream().filter(t -> !changes.touch(t.areaCode(), t.gridId())),
                                tallies(metric, CoverageQueries.changed(scoped, changes), params).stream()).toList()))
                .worstFirst();
    }

    /** The tallies as read, and their buildings worst first (kept too: a page is then a slice). */
    private record Kept(List<Tally> tallies, List<Counted> worstFirst) {

        static Kept of(List<Tally> tallies) {
            Map<Long, long[]> perBuilding = new HashMap<>();
            for (Tally t : tallies) {
                long[] sums = perBuilding.computeIfAbsent(t.buildingId(), id -> new long[2]);
                sums[0] += t.items();
                sums[1] += t.ok();
            }
            List<Counted> counted = new ArrayList<>(perBuilding.size());
            perBuilding.forEach((id, sums) -> counted.add(new Counted(id, sums[0], sums[1])));
            counted.sort(WORST_FIRST);
            return new Kept(tallies, List.copyOf(counted));
        }
    }

    /** Drops every kept count: the next list counts afresh (the benchmark's first click). */
    void forget() {
        kept.forget();
    }

    private List<Tally> tallies(Metric metric, SqlPredicate scoped, Map<String, Object> placeParams) {
        // the scope narrowed to changed places brings parameters of its own
        Map<String, Object> params = new HashMap<>(placeParams);
        params.putAll(scoped.params());
        return queries.planned(() -> List.copyOf(jdbc.sql(TALLIES.formatted(metric.itemsSql(Metric.Computation.MAINTAINED),
                        DrillDown.inPlace(scoped)))
                .params(params)
                .query((rs, n) -> new Tally(rs.getLong("building_id"), (Long) rs.getObject("grid_id"),
                        rs.getString("area_code"), rs.getLong("items"), rs.getLong("ok")))
                .list()));
    }
}
