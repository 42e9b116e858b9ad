package org.caregrid.server.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.coverage.CoverageArea;
import org.caregrid.server.coverage.CoverageQueries;
import org.caregrid.server.coverage.DrillDown;
import org.caregrid.server.coverage.Figures;
import org.caregrid.server.coverage.Metric;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.imports.DemoDistrictLoader;
import org.caregrid.server.people.IdNumberHasher;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
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

    @Option(names = "--residents", defaultValue = "" + DemoDistrictGenerator.BENCHMARK_RESIDENTS,
            description = "residents of the generated district (default ${DEFAULT-VALUE})")
    int residents;

    @Option(names = "--runs", defaultValue = "20", description = "timed runs of each query (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--reuse", description = "keep the district loaded by an earlier run of this benchmark, if any")
    boolean reuse;

    @Option(names = "--home", description = "where the scratch PostGIS cluster lives (default: $CAREGRID_HOME or "
            + "~/.local/share/caregrid)")
    Path home;

    @Override
    public Integer call() throws Exception {
        Path base = home != null ? home : Path.of(System.getenv().getOrDefault("CAREGRID_HOME",
                System.getProperty("user.home") + "/.local/share/caregrid"));
        try (EmbeddedPostgis postgis = EmbeddedPostgis.forHome(base.resolve("bench-postgis")).start()) {
            String db = "bench_coverage";
            if (reuse && ScratchDatabases.hasPersons(postgis, db)) {
                System.out.println("Reusing the benchmark district loaded by an earlier run");
            } else {
                load(postgis, ScratchDatabases.fresh(postgis, db));
            }
            SpringApplication app = new SpringApplication(CaregridApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            try (ConfigurableApplicationContext context = app.run("--caregrid.mode=bench",
                    "--caregrid.home=" + base.resolve("bench-home").toAbsolutePath(),
                    "--caregrid.db.url=" + postgis.jdbcUrl(db), "--caregrid.db.user=" + postgis.username(),
                    "--caregrid.db.password=" + postgis.password(), "--logging.level.root=warn")) {
                return measure(context, postgis, db);
            }
        }
    }

    private void load(EmbeddedPostgis postgis, String db) throws Exception {
        loadDistrict(postgis, db, residents);
    }

    /** Generates the benchmark district and loads it into {@code db} (shared by the tile benchmark). */
    static void loadDistrict(EmbeddedPostgis postgis, String db, int residents) throws Exception {
        long loadStart = System.nanoTime();
        DemoDistrict district = DemoDistrictGenerator.generate(1, residents);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (Connection c = ScratchDatabases.open(postgis, db)) {
            DemoDistrictLoader.load(c, district, IdNumberHasher.withKey(key));
            c.commit();
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("VACUUM ANALYZE");
            }
        }
        System.out.printf(Locale.ROOT, "Loaded the benchmark district (%,d residents) in %.1f s%n",
                district.countPopulation().persons(), (System.nanoTime() - loadStart) / 1e9);
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
                Figures figures = queries.summary(metric, district, everywhere, today, children,
                        org.caregrid.server.web.Language.DEFAULT).area();
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
