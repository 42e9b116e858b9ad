package org.caregrid.server.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.caregrid.server.config.MachineLoad;
import org.caregrid.server.config.Today;
import org.caregrid.server.coverage.CoverageArea;
import org.caregrid.server.coverage.CoverageCounts;
import org.caregrid.server.coverage.CoverageExports;
import org.caregrid.server.coverage.CoverageQueries;
import org.caregrid.server.coverage.DrillDown;
import org.caregrid.server.coverage.Figures;
import org.caregrid.server.coverage.Metric;
import org.caregrid.server.coverage.MetricSummary;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The coverage benchmark: the benchmark district (≈ 1 000 000 residents) is loaded into a scratch
 * database; then the summary (all metrics for the district and its streets) and one drill-down (the
 * overdue list) run 20 times each from the maintained state, and a few times by the full computation,
 * beside one sequential scan of the persons table in the same run; the export of the longest list of gaps,
 * whole (rows per second); then writes that change coverage,
 * with their upkeep. It prints p50 and p95, the ratio to the scan and the load average; the last line
 * sums it up.
 */
@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = "Benchmark the coverage summary and a drill-down on the benchmark district.")
public class CoverageBenchCommand implements Callable<Integer> {

    @Mixin
    BenchDistrict district;

    @Option(names = "--runs", defaultValue = "20", description = "timed runs of each query (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--full-runs", defaultValue = "3",
            description = "timed runs of the full computation, the reference (default ${DEFAULT-VALUE})")
    int fullRuns;

    @Override
    public Integer call() throws Exception {
        return district.run("bench_coverage", List.of(), true, this::measure);
    }

    private int measure(ConfigurableApplicationContext context, EmbeddedPostgis postgis, String db) throws Exception {
        CoverageQueries queries = context.getBean(CoverageQueries.class);
        DrillDown drillDown = context.getBean(DrillDown.class);
        CoverageCounts stored = context.getBean(CoverageCounts.class);
        LocalDate today = context.getBean(Today.class).date();
        String districtCode;
        long persons;
        try (Connection c = ScratchDatabases.open(postgis, db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT min(code) FROM admin_area WHERE level = 'district'")) {
                rs.next();
                districtCode = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM person")) {
                rs.next();
                persons = rs.getLong(1);
            }
        }
        CoverageArea district = queries.findArea(districtCode, null).orElseThrow();

        System.out.printf(Locale.ROOT, "District %s: %,d persons; load before: %s%n", districtCode, persons, MachineLoad.now());
        printState(postgis, db, "as loaded");
        Timings maintained = time(queries, drillDown, postgis, db, district, today, runs, Metric.Computation.MAINTAINED,
                () -> { });
        Timings afresh = time(queries, drillDown, postgis, db, district, today, runs, Metric.Computation.MAINTAINED,
                stored::forget);
        Timings full = time(queries, drillDown, postgis, db, district, today, fullRuns, Metric.Computation.FULL, () -> { });
        double scanP50 = percentile(maintained.scan, 50);
        System.out.printf(Locale.ROOT, "visits %d/%d in time (%d overdue), maintained and full agree: %b%n",
                maintained.visits.ok(), maintained.visits.total(), maintained.visits.gaps(),
                maintained.visits.equals(full.visits));
        full.perMetric.forEach((metric, millis) -> print("  full " + metric.id(), millis, scanP50));
        print("Summary, maintained (13 metrics, district + streets)", maintained.summary, scanP50);
        print("Summary, maintained, counted afresh each time", afresh.summary, scanP50);
        print("Drill-down, maintained (overdue list, first 50)", maintained.drill, scanP50);
        print("Summary, full computation", full.summary, scanP50);
        print("Drill-down, full computation", full.drill, scanP50);
        drillDownsPerMetric(drillDown, district, largestGrid(queries, postgis, db), today, scanP50);
        // a list opened with nothing kept (after a restart, or from a saved link) counts the place's summary first
        print("  buildings visits, first click with nothing kept", timed(() -> {
            stored.forget();
            drillDown.forgetBuildingCounts();
            drillDown.buildings(Metric.VISITS, district, AreaScope.everywhere(), today, DrillDown.Status.GAP, 0, 50);
        }), scanP50);
        print("Sequential scan of person", maintained.scan, scanP50);
        // the export resets the heap pools' peaks to measure its own: the process's peak so far is kept here
        long peakBeforeExport = heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        exportWholeList(queries, drillDown, district, today);
        List<Double> writes = writes(postgis, db, today);
        print("Write: a visit or an appointment, with its upkeep", writes, scanP50);
        print("Summary after a write (a visit, kept; its grid counted again)", summaryAfterWrite(queries, postgis, db, district,
                today), scanP50);
        UnderWrites busy = underWrites(context, queries, postgis, db, district, today);
        System.out.printf(Locale.ROOT, "%d grid workers through the API (POST /api/visits, every 4th POST /api/assignments): "
                        + "%.1f writes/s, write p50 %.1f ms p95 %.1f ms (visits p95 %.1f ms, appointments p95 %.1f ms), %d failed%s; "
                        + "meanwhile the district's summary p50 %.0f ms p95 %.0f ms over %d runs%n", busy.writerCount(),
                busy.writers().writesPerSecond(), percentile(busy.writers().all(), 50), percentile(busy.writers().all(), 95),
                percentile(busy.writers().visits(), 95), percentile(busy.writers().appointments(), 95),
                busy.writers().failures(), busy.writers().firstFailure() == null ? "" : " (first: " + busy.writers().firstFailure() + ")",
                percentile(busy.summaries(), 50), percentile(busy.summaries(), 95), busy.summaries().size());
        printFootprint(postgis, db, peakBeforeExport);
        String load = MachineLoad.now();
        System.out.printf(Locale.ROOT, "Load after: %s%n", load);
        System.out.printf(Locale.ROOT, "SUMMARY coverage on %,d persons over %d runs: summary p50 %.0f ms p95 %.0f ms (counted afresh p50 %.0f ms), "
                        + "drill-down p50 %.0f ms p95 %.0f ms (full computation: summary p50 %.0f ms, drill-down p50 %.0f ms "
                        + "over %d runs), write p95 %.1f ms, person scan p50 %.0f ms, summary/scan %.2f, loadavg %s%n",
                persons, runs, percentile(maintained.summary, 50), percentile(maintained.summary, 95),
                percentile(afresh.summary, 50),
                percentile(maintained.drill, 50), percentile(maintained.drill, 95), percentile(full.summary, 50),
                percentile(full.drill, 50), fullRuns, percentile(writes, 95), scanP50,
                percentile(maintained.summary, 50) / scanP50, load);
        // after the figures: each removed visit redoes its person's upkeep (seconds for the writers' thousands since V51)
        System.out.printf(Locale.ROOT, "Taking back the writers' %,d visits and %,d appointments…%n",
                busy.writers().visits().size(), busy.writers().appointmentIds().size());
        long takingBack = System.nanoTime();
        try (Connection c = ScratchDatabases.open(postgis, db)) {
            ApiWriters.takeBack(c, busy.writers());
            // a later --reuse run measures the state again: as loaded, not with this run's leftovers
            BenchDistrict.compactCoverageState(c);
        }
        System.out.printf(Locale.ROOT, "Taken back and the state compacted in %.1f s%n", (System.nanoTime() - takingBack) / 1e9);
        return 0;
    }

    /**
     * The export of the district's longest list of gaps (the metric of buildings, units or key persons with the
     * most), whole, as CSV with names, to nowhere: one run, rows per second.
     */
    private static void exportWholeList(CoverageQueries queries, DrillDown drillDown, CoverageArea district,
                                        LocalDate today) throws java.io.IOException {
        AreaScope everywhere = AreaScope.everywhere();
        List<MetricSummary> summaries = queries.summaries(district, everywhere, today,
                queries.childPlaces(district, everywhere), org.caregrid.server.web.Language.DEFAULT);
        MetricSummary worst = summaries.stream().filter(m -> LISTED_KINDS.contains(m.itemKind()))
                .max(java.util.Comparator.comparingLong(m -> m.area().gaps())).orElseThrow();
        // the heap the export needs: what is in use after a collection, then the highest it rose to meanwhile (garbage
        // not yet collected included, so an upper bound)
        System.gc();
        List<java.lang.management.MemoryPoolMXBean> heap = heapPools();
        heap.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long before = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
        long start = System.nanoTime();
        long rows = CoverageExports.benchWholeListCsv(drillDown, java.io.OutputStream.nullOutputStream(),
                Metric.fromId(worst.id()), district, everywhere, today);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf(Locale.ROOT, "Whole-list CSV export (%s, every gap of the district): %,d rows in %.1f s, %,.0f rows/s; "
                        + "heap %,d MB before, at most %,d MB during it%n",
                worst.id(), rows, seconds, rows / seconds, before >> 20, peak >> 20);
    }

    /** The grid with the most residents. */
    private static CoverageArea largestGrid(CoverageQueries queries, EmbeddedPostgis postgis, String db) throws SQLException {
        try (Connection c = ScratchDatabases.open(postgis, db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT grid_id FROM person WHERE grid_id IS NOT NULL GROUP BY grid_id "
                     + "ORDER BY count(*) DESC, grid_id LIMIT 1")) {
            rs.next();
            return queries.findArea(null, rs.getLong(1)).orElseThrow();
        }
    }

    /** The metrics whose lists grow with the residents: of buildings, units and key persons. */
    private static final List<String> LISTED_KINDS = List.of("building", "unit", "person");

    /**
     * The planner's clicks, for every metric that lists buildings, units or persons: the district's first page of gaps
     * (50, worst first, with names), its first page of buildings with gaps (the list made from the counts the summary
     * keeps, as after a click on its figure) and its second (the kept list); then the same in the district's largest grid
     * (the one with the most residents), where a click on a grid's figure leads.
     */
    private void drillDownsPerMetric(DrillDown drillDown, CoverageArea district, CoverageArea grid,
                                     LocalDate today, double scanP50) {
        for (Metric metric : Metric.values()) {
            if (!LISTED_KINDS.contains(metric.itemKind())) {
                continue;
            }
            for (CoverageArea place : List.of(district, grid)) {
                String where = place == district ? "" : " in grid " + grid.name();
                print("  drill-down " + metric.id() + where, timed(() -> drillDown.list(metric, place, AreaScope.everywhere(),
                        SqlPredicate.TRUE, today, DrillDown.Status.GAP, 0, 50, true, Metric.Computation.MAINTAINED)), scanP50);
                // the first click sorts the buildings the summary counted; the next pages, and coming back, read the kept list
                print("  buildings " + metric.id() + where + ", first click", timed(() -> {
                    drillDown.forgetBuildingCounts();
                    drillDown.buildings(metric, place, AreaScope.everywhere(), today, DrillDown.Status.GAP, 0, 50);
                }), scanP50);
                print("  buildings " + metric.id() + where + ", next page", timed(() -> drillDown.buildings(metric, place,
                        AreaScope.everywhere(), today, DrillDown.Status.GAP, 1, 50)), scanP50);
            }
        }
    }

    /** Milliseconds of each of {@code runs} calls, after two not counted. */
    private List<Double> timed(Runnable call) {
        List<Double> millis = new ArrayList<>();
        for (int run = -2; run < runs; run++) {
            long start = System.nanoTime();
            call.run();
            if (run >= 0) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        return millis;
    }

    /** Milliseconds per run. */
    private record Timings(java.util.Map<Metric, List<Double>> perMetric, List<Double> summary, List<Double> drill,
                           List<Double> scan, Figures visits) {
    }

    private static Timings time(CoverageQueries queries, DrillDown drillDown, EmbeddedPostgis postgis, String db,
                                CoverageArea district, LocalDate today, int runs, Metric.Computation computation,
                                Runnable beforeEachRun) throws Exception {
        AreaScope everywhere = AreaScope.everywhere();
        java.util.Map<Metric, List<Double>> perMetric = new java.util.EnumMap<>(Metric.class);
        List<Double> summary = new ArrayList<>();
        List<Double> drill = new ArrayList<>();
        List<Double> scan = new ArrayList<>();
        Figures visits = null;
        for (int run = -2; run < runs; run++) {
            beforeEachRun.run();
            long start = System.nanoTime();
            List<Figures> children = queries.childPlaces(district, everywhere);
            if (computation == Metric.Computation.MAINTAINED) {
                // as the API serves it: every metric from one pass over each state table
                visits = queries.summaries(district, everywhere, today, children,
                        org.caregrid.server.web.Language.DEFAULT).get(Metric.VISITS.ordinal()).area();
            } else {
                for (Metric metric : Metric.values()) {
                    long metricStart = System.nanoTime();
                    Figures figures = queries.summary(metric, district, everywhere, today, children,
                            org.caregrid.server.web.Language.DEFAULT, computation).area();
                    if (run >= 0) {
                        perMetric.computeIfAbsent(metric, m -> new ArrayList<>()).add((System.nanoTime() - metricStart) / 1e6);
                    }
                    if (metric == Metric.VISITS) {
                        visits = figures;
                    }
                }
            }
            double summaryMs = (System.nanoTime() - start) / 1e6;

            start = System.nanoTime();
            drillDown.list(Metric.VISITS, district, everywhere, SqlPredicate.TRUE, today, DrillDown.Status.GAP, 0, 50, true,
                    computation);
            double drillMs = (System.nanoTime() - start) / 1e6;

            // one pass over every person row (the heap, not an index): the yardstick
            start = System.nanoTime();
            try (Connection c = ScratchDatabases.open(postgis, db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sum(octet_length(name)) FROM person")) {
                rs.next();
            }
            double scanMs = (System.nanoTime() - start) / 1e6;
            if (run >= 0) {
                summary.add(summaryMs);
                drill.add(drillMs);
                scan.add(scanMs);
            }
        }
        return new Timings(perMetric, summary, drill, scan, visits);
    }

    /**
     * Writes that change coverage, each in its own transaction and rolled back so that the district stays as
     * loaded: a visit, a building head's appointment, a responsible person's, 20 of each after one of each to warm up.
     * The time includes the triggers.
     */
    private static List<Double> writes(EmbeddedPostgis postgis, String db, LocalDate today) throws Exception {
        List<Double> millis = new ArrayList<>();
        try (Connection c = ScratchDatabases.open(postgis, db)) {
            c.setAutoCommit(false);
            List<long[]> targets = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT k.person_id, b.id FROM key_person k JOIN person p ON p.id = k.person_id "
                         + "JOIN building b ON b.id = p.building_id ORDER BY k.person_id LIMIT 63")) {
                while (rs.next()) {
                    targets.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            String[] writes = {
                    "INSERT INTO visit (key_person_id, visited_at, method, recorded_by) VALUES (?, now(), 'door', 'bench')",
                    // a building that has a head keeps it (one head at a time is a constraint): then nothing is written
                    "INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, valid_from) "
                            + "SELECT ?, 'building_head', 'building', x.b, DATE '" + today + "' FROM (SELECT CAST(? AS bigint) AS b) x "
                            + "WHERE NOT EXISTS (SELECT 1 FROM role_assignment r WHERE r.role = 'building_head' "
                            + "AND r.scope_building_id = x.b AND (r.valid_to IS NULL OR r.valid_to >= DATE '" + today + "'))",
                    "INSERT INTO role_assignment (person_id, role, scope_type, scope_person_id, valid_from) "
                            + "SELECT ?, 'responsible', 'person', ?, DATE '" + today + "'"};
            for (int i = 0; i < targets.size(); i++) {
                long[] target = targets.get(i);
                String sql = writes[i % writes.length];
                long start = System.nanoTime();
                try (var statement = c.prepareStatement(sql)) {
                    statement.setLong(1, target[0]);
                    if (i % writes.length == 1) {
                        statement.setLong(2, target[1]);
                    } else if (i % writes.length == 2) {
                        statement.setLong(2, target[0]);
                    }
                    statement.executeUpdate();
                }
                // the first of each kind is the warm-up (a new session plans the upkeep's statements), as the
                // summaries' first runs are: a server's pooled sessions have planned them long since
                if (i >= writes.length) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                c.rollback();
            }
        }
        return millis;
    }


    /**
     * The district's summary read right after a visit lands (committed), one writer at a time: the cost of counting
     * one grid again and putting it in beside the kept counts. The visits are taken back after each read.
     */
    private List<Double> summaryAfterWrite(CoverageQueries queries, EmbeddedPostgis postgis, String db, CoverageArea district,
                                           LocalDate today) throws Exception {
        AreaScope everywhere = AreaScope.everywhere();
        List<Figures> streets = queries.childPlaces(district, everywhere);
        queries.summaries(district, everywhere, today, streets, org.caregrid.server.web.Language.DEFAULT);
        List<Long> persons = new ArrayList<>();
        try (Connection c = ScratchDatabases.open(postgis, db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT person_id FROM key_person ORDER BY person_id LIMIT " + (runs + 2))) {
            while (rs.next()) {
                persons.add(rs.getLong(1));
            }
        }
        List<Double> millis = new ArrayList<>();
        try (Connection c = ScratchDatabases.open(postgis, db)) {
            for (int i = 0; i < persons.size(); i++) {
                long visit;
                try (var insert = c.prepareStatement("INSERT INTO visit (key_person_id, visited_at, method, recorded_by) "
                        + "VALUES (?, now(), 'door', 'bench') RETURNING id")) {
                    insert.setLong(1, persons.get(i));
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        visit = rs.getLong(1);
                    }
                }
                long start = System.nanoTime();
                queries.summaries(district, everywhere, today, streets, org.caregrid.server.web.Language.DEFAULT);
                if (i >= 2) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                try (var delete = c.prepareStatement("DELETE FROM visit WHERE id = ?")) {
                    delete.setLong(1, visit);
                    delete.executeUpdate();
                }
            }
        }
        return millis;
    }

    private static final int WRITERS = 4;
    private static final int WRITING_SECONDS = 30;

    private record UnderWrites(List<Double> summaries, ApiWriters.Outcome writers, int writerCount) {
    }

    /**
     * The district's summary, over and over (at least {@code runs} times and {@link #WRITING_SECONDS}), while
     * {@link #WRITERS} grid workers write through the API.
     */
    private UnderWrites underWrites(ConfigurableApplicationContext context, CoverageQueries queries, EmbeddedPostgis postgis,
                                    String db, CoverageArea district, LocalDate today) throws Exception {
        ApiWriters writers;
        try (Connection c = ScratchDatabases.open(postgis, db)) {
            writers = ApiWriters.prepare(c, WRITERS);
        }
        String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        List<Double> summaries = new ArrayList<>();
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WRITING_SECONDS);
        ApiWriters.Outcome outcome = writers.whileRunning(base, () -> {
            // enough writes for a rate: at least the runs, and at least WRITING_SECONDS
            for (int run = 0; run < runs || System.nanoTime() < until; run++) {
                long start = System.nanoTime();
                queries.summaries(district, AreaScope.everywhere(), today, queries.childPlaces(district, AreaScope.everywhere()),
                        org.caregrid.server.web.Language.DEFAULT);
                summaries.add((System.nanoTime() - start) / 1e6);
            }
            return null;
        });
        return new UnderWrites(summaries, outcome, writers.size());
    }

    private static void printFootprint(EmbeddedPostgis postgis, String db, long peakBeforeExport) throws Exception {
        printState(postgis, db, "after the writers, their change rows and old row versions still in it");
        long peakHeap = Math.max(peakBeforeExport, heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum());
        System.out.printf(Locale.ROOT, "Peak heap of this process, the heap pools' peaks added (the summaries served in it): %,d MB (max %,d MB)%n",
                peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The disk the maintained state takes beside the persons table (the target: under 10 %). */
    private static void printState(EmbeddedPostgis postgis, String db, String when) throws Exception {
        try (Connection c = ScratchDatabases.open(postgis, db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT (SELECT sum(pg_total_relation_size(oid)) FROM pg_class
                              WHERE relkind = 'r' AND relname LIKE 'coverage\\_%'),
                            pg_total_relation_size('person')""")) {
            rs.next();
            long state = rs.getLong(1);
            long person = rs.getLong(2);
            System.out.printf(Locale.ROOT, "Maintained state (coverage_* tables with indexes), %s: %,.1f MB = %.2f %% of person (%,.1f MB)%n",
                    when, state / 1048576.0, 100.0 * state / person, person / 1048576.0);
        }
    }

    private static List<java.lang.management.MemoryPoolMXBean> heapPools() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP).toList();
    }

    private static void print(String what, List<Double> millis, double scanP50) {
        System.out.printf(Locale.ROOT, "%-46s p50 %8.1f ms  p95 %8.1f ms  (%.1f× the scan)%n", what,
                percentile(millis, 50), percentile(millis, 95), percentile(millis, 50) / scanP50);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

}
