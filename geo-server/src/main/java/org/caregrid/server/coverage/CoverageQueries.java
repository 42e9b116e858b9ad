package org.caregrid.server.coverage;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL behind the coverage reports: one roll-up with GROUPING SETS over the admin hierarchy for
 * every metric, and one drill-down list. Blocking: call from a JDBC thread.
 */
@Component
public class CoverageQueries {

    /**
     * Rolls items up grid → community → street → district → city by the 12-digit code's prefixes.
     * Items of a street (a social-work station) have no community and no grid: they count from the
     * street up. Only the requested place and its children are kept. Items are counted per community
     * and grid first, so the roll-up itself works on one row per grid, not per item.
     */
    private static final String ROLL_UP_PLACES = """
            WITH counted AS (%s),
            coded AS (
              SELECT c.total, c.ok, c.estimated, c.grid_id,
                     substr(c.area_code, 1, 4) || '00000000' AS city,
                     CASE WHEN a.level <> 'city' THEN substr(c.area_code, 1, 6) || '000000' END AS district,
                     CASE WHEN a.level IN ('street', 'community') THEN substr(c.area_code, 1, 9) || '000' END AS street,
                     CASE WHEN a.level = 'community' THEN c.area_code::text END AS community
                FROM counted c JOIN admin_area a ON a.code = c.area_code
            ),
            rolled AS (
              SELECT city, district, street, community, grid_id,
                     GROUPING(district, street, community, grid_id) AS grouping_bits,
                     sum(total)::bigint AS total, sum(ok)::bigint AS ok, sum(estimated)::bigint AS estimated
                FROM coded
               GROUP BY GROUPING SETS ((city), (city, district), (city, district, street),
                                       (city, district, street, community), (city, district, street, community, grid_id))
            ),
            placed AS (
              SELECT CASE grouping_bits WHEN 15 THEN 'city' WHEN 7 THEN 'district' WHEN 3 THEN 'street'
                                        WHEN 1 THEN 'community' ELSE 'grid' END AS level,
                     CASE grouping_bits WHEN 15 THEN city WHEN 7 THEN district WHEN 3 THEN street
                                        WHEN 1 THEN community END AS code,
                     CASE grouping_bits WHEN 0 THEN grid_id END AS grid_id,
                     CASE grouping_bits WHEN 15 THEN NULL WHEN 7 THEN city WHEN 3 THEN district
                                        WHEN 1 THEN street ELSE community END AS parent_code,
                     total, ok, estimated
                FROM rolled
               WHERE NOT (grouping_bits = 7 AND district IS NULL) AND NOT (grouping_bits = 3 AND street IS NULL)
                 AND NOT (grouping_bits = 1 AND community IS NULL) AND NOT (grouping_bits = 0 AND grid_id IS NULL)
            )
            SELECT p.level, coalesce(p.code, g.code) AS code, p.grid_id, coalesce(a.name, g.name) AS name,
                   p.total, p.ok, p.estimated
              FROM placed p
              LEFT JOIN admin_area a ON a.code = p.code
              LEFT JOIN grid g ON g.id = p.grid_id
            """;

    private static final String ROLL_UP = ROLL_UP_PLACES + """
             WHERE (p.level = :level AND (p.code = :code OR p.grid_id = CAST(:only_grid AS bigint)))
                OR (p.level = :child_level AND p.parent_code = :code)
             ORDER BY p.level <> :level, coalesce(p.code, g.code)
            """;

    /**
     * Three metrics of key persons and the freshness of their stored walks in one pass over their state,
     * counted per community, grid and building: the summary's largest population read once, not once per metric,
     * and the lists of buildings behind its figures counted in the same pass.
     */
    private static final String KEY_PERSON_COUNTS = """
            SELECT i.area_code, i.grid_id, i.building_id, count(*) AS total,
                   count(*) FILTER (WHERE i.responsible_days @> CAST(:as_of AS date)) AS responsibility,
                   count(*) FILTER (WHERE i.visit_ok_days @> CAST(:as_of AS date)) AS visits,
                   count(*) FILTER (WHERE i.pharmacy_ok) AS pharmacy,
                   count(*) FILTER (WHERE i.pharmacy_status IS NULL) AS pharmacy_estimated,
                   min(i.pharmacy_computed_at) AS pharmacy_at, min(i.walks_computed_at) AS walks_at
              FROM coverage_key_person i
             WHERE i.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)
               AND (CAST(:only_grid AS bigint) IS NULL OR i.grid_id = :only_grid) AND %s AND %s
             GROUP BY i.area_code, i.grid_id, i.building_id
            """;

    /**
     * Any metric's items counted per community and grid, for the roll-up below; per building too ({@code %3$s}) in the
     * summary's kept counts, whose lists of buildings come from the same pass.
     */
    private static final String COUNTED = """
            WITH item AS (%1$s)
            SELECT i.area_code, i.grid_id%3$s, count(*) AS total, count(*) FILTER (WHERE i.ok) AS ok,
                   count(*) FILTER (WHERE i.estimate) AS estimated
              FROM item i
             WHERE i.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)
               AND (CAST(:only_grid AS bigint) IS NULL OR i.grid_id = :only_grid) AND %2$s
             GROUP BY i.area_code, i.grid_id%3$s
            """;

    private static String countedSql(String items, String scoped, boolean perBuilding) {
        return COUNTED.formatted(items, scoped, perBuilding ? ", i.building_id" : "");
    }

    private static final Set<Metric> KEY_PERSON_METRICS = EnumSet.of(Metric.RESPONSIBILITY, Metric.VISITS,
            Metric.PHARMACY_ACCESS);

    /** Items of one community (or a place above it: a street-level item) and one grid (or none). */
    private record Count(String areaCode, Long gridId, long total, long ok, long estimated) {
    }

    /** How fresh the stored walks behind an area's figures are, from the maintained state. */
    private static final String MAINTAINED_FRESHNESS = """
            SELECT min(c.%s) FROM coverage_key_person c
             WHERE c.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)
               AND (CAST(:only_grid AS bigint) IS NULL OR c.grid_id = :only_grid)
               AND (c.closed_on IS NULL OR c.closed_on >= :as_of)
            """;

    private static final String WALKS_FRESHNESS = """
            SELECT min(w.computed_at) FROM responsible_walk w JOIN person p ON p.id = w.key_person_id
             WHERE p.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)
               AND (CAST(:only_grid AS bigint) IS NULL OR p.grid_id = :only_grid)
               AND (p.closed_on IS NULL OR p.closed_on >= :as_of)
            """;

    /**
     * Only key persons' walks are behind the figures; a former key person's stored walk is not, nor that of a
     * person closed before the day.
     */
    private static final String FRESHNESS = """
            SELECT min(n.computed_at) FROM nearest_facility n JOIN person p ON p.id = n.person_id
              JOIN key_person k ON k.person_id = n.person_id
             WHERE n.facility_group = 'health' AND p.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)
               AND (CAST(:only_grid AS bigint) IS NULL OR p.grid_id = :only_grid)
               AND (p.closed_on IS NULL OR p.closed_on >= :as_of)
            """;

    /** When the walks to the nearest facility were last checked: a refresh leaves the rows that did not change. */
    private static final String WALKS_CHECKED = "SELECT refreshed_at FROM walk_refresh WHERE facility_group = 'health'";

    private final JdbcClient jdbc;
    private final CoverageProperties properties;
    private final MetricLabels labels;
    private final CoverageCounts stored;
    private final TransactionTemplate transactions;

    CoverageQueries(JdbcClient jdbc, CoverageProperties properties, MetricLabels labels, CoverageCounts stored,
                    TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.stored = stored;
        this.transactions = transactions;
        this.properties = properties;
        this.labels = labels;
    }

    /** Where {@code area} is (12-digit admin code) or which grid {@code gridId} is; empty if neither exists. */
    public Optional<CoverageArea> findArea(String code, Long gridId) {
        if (gridId != null) {
            return jdbc.sql("SELECT id, code, name, community_code FROM grid WHERE id = :id").param("id", gridId)
                    .query((rs, row) -> new CoverageArea("grid", rs.getString("code"), rs.getLong("id"),
                            rs.getString("name"), rs.getString("community_code")))
                    .optional();
        }
        return jdbc.sql("SELECT code, level, name, area_code_prefix(code, level) AS prefix FROM admin_area WHERE code = :code")
                .param("code", code)
                .query((rs, row) -> new CoverageArea(rs.getString("level"), rs.getString("code"), null,
                        rs.getString("name"), rs.getString("prefix")))
                .optional();
    }

    /** The place a user's reports start from: their grid, their area, or the top of the tree. */
    public Optional<CoverageArea> home(AreaScope scope) {
        if (scope instanceof AreaScope.Grid grid) {
            return findArea(null, grid.gridId());
        }
        if (scope instanceof AreaScope.Area area) {
            return findArea(area.code(), null);
        }
        return jdbc.sql("SELECT min(code) FROM admin_area WHERE parent_code IS NULL").query(String.class).optional()
                .flatMap(code -> findArea(code, null));
    }

    public MetricSummary summary(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf, Locale locale) {
        return summary(metric, area, scope, asOf, childPlaces(area, scope), locale);
    }

    /** As above, with the child places already looked up (a summary of all metrics asks once). */
    public MetricSummary summary(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf, List<Figures> places,
                                 Locale locale) {
        return summary(metric, area, scope, asOf, places, locale, Metric.Computation.MAINTAINED);
    }

    /** As above, from the maintained state or by the full computation (which {@code coverage verify} compares). */
    public MetricSummary summary(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf, List<Figures> places,
                                 Locale locale, Metric.Computation computation) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = placeParameters(area, scoped, asOf);
        double target = properties.rateTarget(metric);
        List<Figures> rows = jdbc.sql(ROLL_UP.formatted(countedSql(metric.itemsSql(computation), scoped.sql(), false))).params(params)
                .query(figures(target)).list();
        Figures own = rows.stream().filter(f -> f.level().equals(area.level())).findFirst()
                .orElse(Figures.empty(area.level(), area.code(), area.gridId(), area.name(), target));
        // every child place is listed, an empty grid too, with zeros where it has no items
        List<Figures> children = places.stream()
                .map(place -> rows.stream().filter(f -> !f.level().equals(area.level()) && samePlace(f, place)).findFirst()
                        .orElse(Figures.empty(place.level(), place.code(), place.gridId(), place.name(), target)))
                .toList();
        String source = "count";
        Timestamp computedAt = null;
        if (metric == Metric.PHARMACY_ACCESS || metric == Metric.RESPONSIBLE_DISTANCE) {
            source = own.estimated() == 0 ? "network" : own.estimated() == own.total() ? "straight-line estimate" : "mixed";
            String freshness = computation == Metric.Computation.FULL
                    ? (metric == Metric.PHARMACY_ACCESS ? FRESHNESS : WALKS_FRESHNESS)
                    : MAINTAINED_FRESHNESS.formatted(metric == Metric.PHARMACY_ACCESS ? "pharmacy_computed_at" : "walks_computed_at");
            computedAt = jdbc.sql(freshness).params(params)
                    .query(Timestamp.class).optional().orElse(null);
            if (metric == Metric.PHARMACY_ACCESS) {
                computedAt = checkedSince(computedAt);
            }
        }
        return new MetricSummary(metric.id(), labels.name(metric, locale), metric.itemKind(),
                labels.itemTarget(metric, locale), target,
                own, children, source, computedAt == null ? null : computedAt.toInstant());
    }

    /**
     * Every metric's summary of a place from the maintained state, as the API serves it: each state table is
     * read once, counted per community and grid, and the counts are added up here by code prefix (which is
     * what the SQL roll-up's levels come to), so the work grows with the places, not the residents.
     */
    public List<MetricSummary> summaries(CoverageArea area, AreaScope scope, LocalDate asOf, List<Figures> places,
                                         Locale locale) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = placeParameters(area, scoped, asOf);
        Counted counted = kept(area, scope, asOf);
        List<MetricSummary> summaries = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            List<Count> rows = counted.has(metric) ? counted.counts(metric) : counted(metric, scoped, params);
            double target = properties.rateTarget(metric);
            Figures own = added(area.level(), area.code(), area.gridId(), area.name(), rows, c -> true, target);
            List<Figures> children = childFigures(area, places, rows, target);
            String source = "count";
            Timestamp computedAt = null;
            if (metric == Metric.PHARMACY_ACCESS || metric == Metric.RESPONSIBLE_DISTANCE) {
                source = own.estimated() == 0 ? "network" : own.estimated() == own.total() ? "straight-line estimate" : "mixed";
                computedAt = metric == Metric.PHARMACY_ACCESS ? checkedSince(counted.pharmacyAt()) : counted.walksAt();
            }
            summaries.add(new MetricSummary(metric.id(), labels.name(metric, locale), metric.itemKind(),
                    labels.itemTarget(metric, locale),
                    target, own, children, source, computedAt == null ? null : computedAt.toInstant()));
        }
        return summaries;
    }

    /**
     * One metric's figures for a place as the summary has them (the kept counts), without counting its items
     * again; empty for the metrics that are not maintained.
     */
    public Optional<Figures> keptFigures(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf) {
        if (metric.maintainedSql() == null) {
            return Optional.empty();
        }
        return Optional.of(added(area.level(), area.code(), area.gridId(), area.name(),
                kept(area, scope, asOf).counts(metric), c -> true, properties.rateTarget(metric)));
    }

    /** The metrics of the maintained state, as stored while their places did not change (CoverageCounts). */
    private Counted kept(CoverageArea area, AreaScope scope, LocalDate asOf) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = placeParameters(area, scoped, asOf);
        return stored.counts(CoverageCounts.Key.of("summary", scope, area, asOf),
                () -> planned(() -> countMaintained(scoped, params, m -> true)),
                (kept, changes) -> kept.replaced(changes, planned(() -> countMaintained(changed(scoped, changes), params,
                        changes::touch))));
    }

    /**
     * Runs passes over a place's state with plans made for their own parameters. After five runs of a statement
     * PostgreSQL may keep one plan for any parameters, made without knowing the place: on its guess of a few
     * hundred rows a district's key persons were sorted on disk and their needs looked up one by one. A 10 M city's
     * district groups a million key persons and 1.9 M needs into 134 000 buildings, which PostgreSQL's default 4 MB
     * sent to disk (its key persons 1.8 → 1.1 s in 32 MB). Grouped by hash, not sorted: under the row policies a
     * day in a range of days ({@code @>}, not leakproof) is estimated without statistics at 0.5 % of the rows, and a
     * million responsible persons' walks were sorted on disk to group them (2.0 s; hashed 0.65 s). With the parallel
     * workers the server's pool goes without (as many as the database allows; V53 lets the policies run in them): a
     * 10 M city's district counted afresh 5.9 → 4.6 s. These passes only, so that no write's or page's plan changes.
     */
    private <T> T planned(Supplier<T> passes) {
        return transactions.execute(status -> {
            // one round trip for the four (a summary after a write recounts its grid in here); TO DEFAULT is the
            // database's own value, not the pool's 0 (reading it from pg_settings cost 0.7 ms a call, this 0.1-0.2)
            jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL work_mem = '32MB'; "
                    + "SET LOCAL enable_sort = off; SET LOCAL max_parallel_workers_per_gather TO DEFAULT").update();
            return passes.get();
        });
    }

    /** A community (or a street, for its items in no community) and a grid (null: none). */
    private record Place(String areaCode, Long gridId) {
    }

    /** A metric's items in one place: their count, and their count per building (those in one). */
    private record AtPlace(Count count, List<BuildingCounts.Tally> buildings) {
    }

    /**
     * The maintained metrics' counts per place (the figures add them up) with the buildings behind them, and the
     * oldest stored walks behind each place's key persons. Nothing in it changes once made: a recount makes a new
     * one that shares what did not change, so a write costs the metrics' places, not the buildings of the city.
     */
    private record Counted(Map<Metric, Map<Place, AtPlace>> byMetric, Map<Place, Freshness> freshness)
            implements CoverageCounts.Sized {

        @Override
        public long rows() {
            long rows = freshness.size();
            for (Map<Place, AtPlace> places : byMetric.values()) {
                rows += places.size();
                for (AtPlace at : places.values()) {
                    rows += at.buildings().size();
                }
            }
            return rows;
        }

        boolean has(Metric metric) {
            return byMetric.containsKey(metric);
        }

        List<Count> counts(Metric metric) {
            return byMetric.get(metric).values().stream().map(AtPlace::count).toList();
        }

        List<BuildingCounts.Tally> buildings(Metric metric) {
            return byMetric.getOrDefault(metric, Map.of()).values().stream().flatMap(at -> at.buildings().stream()).toList();
        }

        Timestamp pharmacyAt() {
            return freshness.values().stream().map(Freshness::pharmacyAt).reduce(null, CoverageQueries::earliest);
        }

        Timestamp walksAt() {
            return freshness.values().stream().map(Freshness::walksAt).reduce(null, CoverageQueries::earliest);
        }

        /**
         * These counts with the places that changed replaced by {@code again}, their counts read again: of the metrics
         * reading a changed table, in the places it changed. The rest is shared, not copied.
         */
        Counted replaced(CoverageCounts.Changes changes, Counted again) {
            // the key persons' three are counted again together (countMaintained), so they go together
            boolean keyPersons = KEY_PERSON_METRICS.stream().anyMatch(changes::touch);
            Map<Metric, Map<Place, AtPlace>> now = new EnumMap<>(byMetric);
            byMetric.forEach((metric, places) -> {
                if (KEY_PERSON_METRICS.contains(metric) ? keyPersons : changes.touch(metric)) {
                    now.put(metric, replacedPlaces(places, changes, again.byMetric.getOrDefault(metric, Map.of())));
                }
            });
            return new Counted(now, keyPersons ? replacedPlaces(freshness, changes, again.freshness) : freshness);
        }
    }

    private static <V> Map<Place, V> replacedPlaces(Map<Place, V> places, CoverageCounts.Changes changes,
                                                    Map<Place, V> countedAgain) {
        Map<Place, V> now = new HashMap<>(places);
        now.keySet().removeIf(place -> changes.touch(place.areaCode(), place.gridId()));
        now.putAll(countedAgain);
        return java.util.Collections.unmodifiableMap(now);
    }

    /** A pass's rows per place and building, added up per place for the figures and kept per building for the lists. */
    private static final class ByPlace {

        private final Map<Place, long[]> sums = new HashMap<>();
        private final Map<Place, List<BuildingCounts.Tally>> buildings = new HashMap<>();

        void add(String areaCode, Long gridId, Long buildingId, long total, long ok, long estimated) {
            Place place = new Place(areaCode, gridId);
            long[] sum = sums.computeIfAbsent(place, p -> new long[3]);
            sum[0] += total;
            sum[1] += ok;
            sum[2] += estimated;
            if (buildingId != null) {
                buildings.computeIfAbsent(place, p -> new ArrayList<>())
                        .add(new BuildingCounts.Tally(buildingId, total, ok));
            }
        }

        Map<Place, AtPlace> atPlaces() {
            Map<Place, AtPlace> at = new HashMap<>();
            sums.forEach((place, sum) -> at.put(place, new AtPlace(
                    new Count(place.areaCode(), place.gridId(), sum[0], sum[1], sum[2]),
                    List.copyOf(buildings.getOrDefault(place, List.of())))));
            return java.util.Collections.unmodifiableMap(at);
        }
    }

    /** The oldest stored walks behind one community's and grid's key persons. */
    private record Freshness(Timestamp pharmacyAt, Timestamp walksAt) {

        Freshness and(Freshness other) {
            return new Freshness(earliest(pharmacyAt, other.pharmacyAt), earliest(walksAt, other.walksAt));
        }
    }

    /** The scope narrowed to the places that changed. */
    private static SqlPredicate changed(SqlPredicate scoped, CoverageCounts.Changes changes) {
        Map<String, Object> params = new HashMap<>(scoped.params());
        params.put("changed_grids", changes.grids().toArray(Long[]::new));
        params.put("changed_areas", changes.gridlessAreas().toArray(String[]::new));
        return new SqlPredicate(scoped.sql() + " AND (i.grid_id = ANY (CAST(:changed_grids AS bigint[])) OR i.grid_id IS NULL "
                + "AND i.area_code = ANY (CAST(:changed_areas AS bpchar[])))", params);
    }

    /**
     * Every metric kept in the maintained state (V20), counted per community, grid and building: the key persons'
     * three in one pass, the others one pass each. What they read is what V38's triggers watch.
     */
    private Counted countMaintained(SqlPredicate scoped, Map<String, Object> placeParams,
                                    java.util.function.Predicate<Metric> which) {
        Map<String, Object> params = new HashMap<>(placeParams);
        params.putAll(scoped.params());
        Map<Metric, ByPlace> byPlace = new EnumMap<>(Metric.class);
        Map<Place, Freshness> freshness = new HashMap<>();
        // the key persons' three are counted together, or not at all
        if (KEY_PERSON_METRICS.stream().anyMatch(which)) {
            KEY_PERSON_METRICS.forEach(m -> byPlace.put(m, new ByPlace()));
            jdbc.sql(KEY_PERSON_COUNTS.formatted(scoped.sql(), Metric.inRegister("i"))).params(params).query(rs -> {
                String code = rs.getString("area_code");
                Long grid = (Long) rs.getObject("grid_id");
                Long building = (Long) rs.getObject("building_id");
                long total = rs.getLong("total");
                byPlace.get(Metric.RESPONSIBILITY).add(code, grid, building, total, rs.getLong("responsibility"), 0);
                byPlace.get(Metric.VISITS).add(code, grid, building, total, rs.getLong("visits"), 0);
                byPlace.get(Metric.PHARMACY_ACCESS).add(code, grid, building, total, rs.getLong("pharmacy"),
                        rs.getLong("pharmacy_estimated"));
                freshness.merge(new Place(code, grid), new Freshness(rs.getTimestamp("pharmacy_at"),
                        rs.getTimestamp("walks_at")), Freshness::and);
            });
        }
        for (Metric metric : Metric.values()) {
            if (metric.maintainedSql() != null && !KEY_PERSON_METRICS.contains(metric) && which.test(metric)) {
                ByPlace rows = new ByPlace();
                jdbc.sql(countedSql(metric.maintainedSql(), scoped.sql(), true)).params(params)
                        .query(rs -> {
                            rows.add(rs.getString("area_code"), (Long) rs.getObject("grid_id"),
                                    (Long) rs.getObject("building_id"), rs.getLong("total"), rs.getLong("ok"),
                                    rs.getLong("estimated"));
                        });
                byPlace.put(metric, rows);
            }
        }
        Map<Metric, Map<Place, AtPlace>> byMetric = new EnumMap<>(Metric.class);
        byPlace.forEach((metric, rows) -> byMetric.put(metric, rows.atPlaces()));
        return new Counted(byMetric, java.util.Collections.unmodifiableMap(freshness));
    }

    /**
     * The buildings of a maintained metric's items in a place, per building and grid (for items in no grid: area), as the
     * place's summary has them: counted in the summary's pass, kept with it and counted again where things change.
     */
    List<BuildingCounts.Tally> buildingTallies(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf) {
        return kept(area, scope, asOf).buildings(metric);
    }

    private List<Count> counted(Metric metric, SqlPredicate scoped, Map<String, Object> params) {
        return jdbc.sql(countedSql(metric.itemsSql(Metric.Computation.MAINTAINED), scoped.sql(), false)).params(params)
                .query((rs, n) -> new Count(rs.getString("area_code"), (Long) rs.getObject("grid_id"),
                        rs.getLong("total"), rs.getLong("ok"), rs.getLong("estimated")))
                .list();
    }

    /**
     * One metric's figures for every place of every level that holds items inside the scope (the
     * coverage layer of the OGC API), from the maintained state as the summaries are. Places without items are
     * not listed.
     */
    public List<Figures> everyPlace(Metric metric, AreaScope scope, LocalDate asOf) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = parameters(asOf);
        params.putAll(scoped.params());
        params.putAll(CoverageArea.codeRange(""));
        params.put("only_grid", null);
        double target = properties.rateTarget(metric);
        // the full computation here made every coverage tile recount the whole city: a planner's zoom-out asked for
        // a dozen at once and, on statistics a few writes had made stale, held every connection for minutes
        return jdbc.sql(ROLL_UP_PLACES.formatted(countedSql(metric.itemsSql(Metric.Computation.MAINTAINED),
                        scoped.sql(), false))).params(params)
                .query(figures(target)).list();
    }

    private static org.springframework.jdbc.core.RowMapper<Figures> figures(double target) {
        return (rs, n) -> Figures.of(rs.getString("level"), rs.getString("code"), (Long) rs.getObject("grid_id"),
                rs.getString("name"), rs.getLong("total"), rs.getLong("ok"), rs.getLong("estimated"), target);
    }

    /**
     * The children's figures, each count added to the child it falls in, in one pass: a grid's counts of the community
     * asked for, an area's by its code prefix (a district's 966 places into its streets, not once per street).
     */
    private static List<Figures> childFigures(CoverageArea area, List<Figures> places, List<Count> counts, double target) {
        Set<Integer> prefixLengths = new java.util.HashSet<>();
        boolean grids = false;
        for (Figures place : places) {
            if (place.gridId() != null) {
                grids = true;
            } else {
                prefixLengths.add(prefixLength(place.level()));
            }
        }
        Map<Object, long[]> sums = new HashMap<>();
        for (Count c : counts) {
            if (grids && c.gridId() != null && area.code().equals(c.areaCode())) {
                add(sums, c.gridId(), c);
            }
            for (int length : prefixLengths) {
                if (c.areaCode() != null && c.areaCode().length() >= length) {
                    add(sums, c.areaCode().substring(0, length), c);
                }
            }
        }
        return places.stream().map(place -> {
            long[] sum = sums.getOrDefault(place.gridId() != null ? place.gridId()
                    : place.code().substring(0, prefixLength(place.level())), new long[3]);
            return Figures.of(place.level(), place.code(), place.gridId(), place.name(), sum[0], sum[1], sum[2], target);
        }).toList();
    }

    private static void add(Map<Object, long[]> sums, Object child, Count c) {
        long[] sum = sums.computeIfAbsent(child, k -> new long[3]);
        sum[0] += c.total();
        sum[1] += c.ok();
        sum[2] += c.estimated();
    }

    private static int prefixLength(String level) {
        return switch (level) {
            case "city" -> 4;
            case "district" -> 6;
            case "street" -> 9;
            default -> 12;
        };
    }

    private static Figures added(String level, String code, Long gridId, String name, List<Count> counts,
                                 java.util.function.Predicate<Count> which, double target) {
        long total = 0;
        long ok = 0;
        long estimated = 0;
        for (Count c : counts) {
            if (which.test(c)) {
                total += c.total();
                ok += c.ok();
                estimated += c.estimated();
            }
        }
        return Figures.of(level, code, gridId, name, total, ok, estimated, target);
    }

    /**
     * How fresh stored walks to the nearest facility are, the oldest of them found at {@code oldestFound}: as fresh
     * as the last refresh, which checked them all (null: no walk behind the figures).
     */
    private Timestamp checkedSince(Timestamp oldestFound) {
        if (oldestFound == null) {
            return null;
        }
        Timestamp checked = jdbc.sql(WALKS_CHECKED).query(Timestamp.class).optional().orElse(null);
        return checked != null && checked.after(oldestFound) ? checked : oldestFound;
    }

    private static Timestamp earliest(Timestamp a, Timestamp b) {
        return a == null || (b != null && b.before(a)) ? b : a;
    }

    Map<String, Object> placeParameters(CoverageArea area, SqlPredicate scoped, LocalDate asOf) {
        Map<String, Object> params = parameters(asOf);
        params.putAll(scoped.params());
        params.putAll(area.codeRange());
        params.put("only_grid", area.gridId());
        params.put("level", area.level());
        params.put("child_level", area.childLevel());
        params.put("code", area.isGrid() ? area.prefix() : area.code());
        return params;
    }

    /** The places one level down from {@code area} that the scope lets the caller see. */
    public List<Figures> childPlaces(CoverageArea area, AreaScope scope) {
        if (area.childLevel() == null) {
            return List.of();
        }
        if (area.childLevel().equals("grid")) {
            SqlPredicate grids = scope.grids("g.id", "g.community_code");
            return jdbc.sql("SELECT g.id, g.code, g.name FROM grid g WHERE g.community_code = :code AND " + grids.sql()
                            + " ORDER BY g.code")
                    .param("code", area.code()).params(grids.params())
                    .query((rs, n) -> Figures.empty("grid", rs.getString("code"), rs.getLong("id"), rs.getString("name"), 0))
                    .list();
        }
        SqlPredicate areas = scope.areas("a.code");
        return jdbc.sql("SELECT a.code, a.level, a.name FROM admin_area a WHERE a.parent_code = :code AND " + areas.sql()
                        + " ORDER BY a.code")
                .param("code", area.code()).params(areas.params())
                .query((rs, n) -> Figures.of(rs.getString("level"), rs.getString("code"), null, rs.getString("name"), 0, 0, 0, 0))
                .list();
    }

    private static boolean samePlace(Figures a, Figures b) {
        return a.gridId() != null ? a.gridId().equals(b.gridId()) : b.gridId() == null && a.code().equals(b.code());
    }

    /** Every parameter any metric's item query may name. */
    public Map<String, Object> parameters(LocalDate asOf) {
        Map<String, Object> params = new HashMap<>();
        params.put("as_of", asOf);
        params.put("tz", properties.timeZone());
        params.put("responsible_max_m", properties.responsibleMaxDistanceM());
        params.put("pharmacy_max_min", properties.pharmacyMaxWalkMinutes());
        params.put("walking_speed", properties.walkingSpeedMPerS());
        params.put("detour_factor", properties.detourFactor());
        params.put("volunteers_per_key", properties.volunteersPerKeyPerson());
        params.put("squad_per_need", properties.deliverySquadPerMedicineNeed());
        params.put("reserve_per_regular", properties.reservePerRegularWorker());
        params.put("orgs_per_community", properties.microOrganisationsPerCommunity());
        params.put("orgs_per_compound", properties.microOrganisationsPerCompound());
        params.put("need_open_max_days", properties.needOpenMaxDays());
        List<String> riskNames = new ArrayList<>(properties.visitIntervalDaysByRisk().keySet());
        params.put("risk_names", riskNames.toArray(String[]::new));
        params.put("risk_days", riskNames.stream().map(properties.visitIntervalDaysByRisk()::get).toArray(Integer[]::new));
        List<String> categoryNames = new ArrayList<>(properties.visitIntervalDaysByCategory().keySet());
        params.put("category_names", categoryNames.toArray(String[]::new));
        params.put("category_days", categoryNames.stream().map(properties.visitIntervalDaysByCategory()::get).toArray(Integer[]::new));
        return params;
    }
}
