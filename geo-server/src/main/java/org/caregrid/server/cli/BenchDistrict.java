package org.caregrid.server.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.imports.DemoDistrictLoader;
import org.caregrid.server.people.IdNumberHasher;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Option;

/**
 * The benchmark district in a scratch database, shared by the benchmarks that measure queries on it
 * (coverage, tiles): the options to size, reuse and place it, and caregrid started on it without a web server.
 */
class BenchDistrict {

    @Option(names = "--residents", defaultValue = "" + DemoDistrictGenerator.BENCHMARK_RESIDENTS,
            description = "residents of the generated district (default ${DEFAULT-VALUE})")
    int residents;

    @Option(names = "--reuse", description = "keep the district loaded by an earlier run of this benchmark, if any")
    boolean reuse;

    @Option(names = "--home", description = "where the scratch PostGIS cluster lives (default: $CAREGRID_HOME or "
            + "~/.local/share/caregrid)")
    Path home;

    /** What a benchmark measures once caregrid runs on the district. */
    interface Measure {
        int run(ConfigurableApplicationContext context, EmbeddedPostgis postgis, String db) throws Exception;
    }

    /** Loads (or reuses) the district in {@code db}, starts caregrid on it with {@code extraArguments}, and measures. */
    int run(String db, List<String> extraArguments, Measure measure) throws Exception {
        return run(db, extraArguments, false, measure);
    }

    /** As above; with {@code web}, caregrid also serves its API on a free port of localhost ({@code local.server.port}). */
    int run(String db, List<String> extraArguments, boolean web, Measure measure) throws Exception {
        Path base = home != null ? home : Path.of(System.getenv().getOrDefault("CAREGRID_HOME",
                System.getProperty("user.home") + "/.local/share/caregrid"));
        try (EmbeddedPostgis postgis = EmbeddedPostgis.forHome(base.resolve("bench-postgis")).start()) {
            if (reuse && ScratchDatabases.hasPersons(postgis, db)) {
                System.out.println("Reusing the benchmark district loaded by an earlier run");
            } else {
                load(postgis, ScratchDatabases.fresh(postgis, db));
            }
            SpringApplication app = new SpringApplication(CaregridApplication.class);
            app.setWebApplicationType(web ? WebApplicationType.REACTIVE : WebApplicationType.NONE);
            List<String> arguments = new ArrayList<>(List.of("--caregrid.mode=bench",
                    "--caregrid.home=" + base.resolve("bench-home").toAbsolutePath(),
                    "--caregrid.db.url=" + postgis.jdbcUrl(db), "--caregrid.db.user=" + postgis.username(),
                    "--caregrid.db.password=" + postgis.password(), "--logging.level.root=warn"));
            if (web) {
                arguments.addAll(List.of("--server.port=0", "--server.address=127.0.0.1"));
            }
            arguments.addAll(extraArguments);
            try (ConfigurableApplicationContext context = app.run(arguments.toArray(String[]::new))) {
                return measure.run(context, postgis, db);
            }
        }
    }

    private void load(EmbeddedPostgis postgis, String db) throws Exception {
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
            compactCoverageState(c);
        }
        System.out.printf(Locale.ROOT, "Loaded the benchmark district (%,d residents) in %.1f s%n",
                district.countPopulation().persons(), (System.nanoTime() - loadStart) / 1e9);
    }

    /**
     * The coverage state as a server that has run a while keeps it, on the scratch database (no server counts on it
     * between runs). A load's one transaction, or a bench's take-back of its writes, writes each key person's state
     * several times: VACUUM frees the old versions but does not give the space back, so the state is rewritten. The
     * change rows are there for the counts servers keep in memory; none is running, so none is needed (a server
     * prunes them too once no count it keeps is older).
     */
    static void compactCoverageState(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM coverage_change");
            s.execute("VACUUM FULL ANALYZE coverage_key_person, coverage_responsible, coverage_unit, coverage_building, "
                    + "coverage_grid_member, coverage_change");
        }
    }
}
