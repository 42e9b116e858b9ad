package org.caregrid.server.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.caregrid.server.coverage.CoverageArea;
import org.caregrid.server.coverage.CoverageQueries;
import org.caregrid.server.coverage.DrillDown;
import org.caregrid.server.coverage.Figures;
import org.caregrid.server.coverage.Metric;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The coverage benchmark: the benchmark district (≈ 1 000 000 residents) is loaded into a scratch
 * database; then the full summary (all metrics for the district and its streets) and one drill-down
 * (the overdue list) run 20 times each, beside one sequential scan of the persons table in the same
 * run. It prints p50 and p95 and the ratio to the scan; the last line sums it up.
 */
@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = "Benchmark the coverage summary and a drill-down on the benchmark district.")
public class CoverageBenchCommand implements Callable<Integer> {

    @Mixin
    BenchDistrict district;

    @Option(names = "--runs", defaultValue = "20", description = "timed runs of each query (default ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() throws Exception {
        return district.run("bench_coverage", List.of(), this::measure);
    }

    private int measure(ConfigurableApplicationContext context, EmbeddedPostgis postgis, String db) throws Exception {
        CoverageQueries queries = context.getBean(CoverageQueries.class);
        DrillDown drillDown = context.getBean(DrillDown.class);
        AreaScope everywhere = AreaScope.everywhere();
        LocalDate today = LocalDate.now();
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

        java.util.Map<Metric, List<Double>> perMetric = new java.util.EnumMap<>(Metric.class);
        List<Double> summary = new ArrayList<>();
        List<Double> drill = new ArrayList<>();
        List<Double> scan = new ArrayList<>();
        Figures visits = null;
        for (int run = -2; run < runs; run++) {
            long start = System.nanoTime();
            List<Figures> children = queries.childPlaces(district, everywhere);
            for (Metric metric : Metric.values()) {
                long metricStart = System.nanoTime();
                Figures figures = queries.summary(metric, district, everywhere, today, children).area();
                if (run >= 0) {
                    perMetric.computeIfAbsent(metric, m -> new ArrayList<>()).add((System.nanoTime() - metricStart) / 1e6);
                }
                if (metric == Metric.VISITS) {
                    visits = figures;
                }
            }
            double summaryMs = (System.nanoTime() - start) / 1e6;

            start = System.nanoTime();
            drillDown.list(Metric.VISITS, district, everywhere, SqlPredicate.TRUE, today, DrillDown.Status.GAP, 0, 50, true);
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
        double scanP50 = percentile(scan, 50);
        System.out.printf(Locale.ROOT, "District %s: %,d persons; visits %d/%d in time (%d overdue)%n",
                districtCode, persons, visits.ok(), visits.total(), visits.gaps());
        perMetric.forEach((metric, millis) -> print("  " + metric.id(), millis, scanP50));
        print("Summary (13 metrics, district + its streets)", summary, scanP50);
        print("Drill-down (overdue list, first 50)", drill, scanP50);
        print("Sequential scan of person", scan, scanP50);
        System.out.printf(Locale.ROOT, "SUMMARY coverage on %,d persons over %d runs: summary p50 %.0f ms p95 %.0f ms, "
                        + "drill-down p50 %.0f ms p95 %.0f ms, person scan p50 %.0f ms, summary/scan %.1f%n",
                persons, runs, percentile(summary, 50), percentile(summary, 95), percentile(drill, 50),
                percentile(drill, 95), scanP50, percentile(summary, 50) / scanP50);
        return 0;
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
