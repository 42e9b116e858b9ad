package org.caregrid.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.caregrid.importer.ImportPhases;
import org.caregrid.importer.ImportProgress;
import org.caregrid.importer.OsmData;
import org.caregrid.importer.OsmReader;
import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.imports.AutoGrids;
import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.imports.ImportRequest;
import org.caregrid.server.imports.RecordLoader;
import org.caregrid.server.people.IdNumberHasher;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The import benchmark: loads the benchmark-scale demo district (buildings, then persons and the rest of the
 * population) into a scratch database through the same loader as real imports and prints rows per second; then
 * imports an OSM extract with caregrid and with osm2pgsql (Debian's package) into scratch databases of the same
 * cluster and prints both times, their ratio and the time of each of caregrid's phases (parse, geometries, entrances,
 * staging COPY, each merge and spatial join, commit). Then the same file as {@code import-osm} runs it (a job row, the
 * road network copy, the grid proposals), phase by phase, since osm2pgsql does none of that. Scratch databases live
 * in a PostGIS cluster of their own under {@code <home>/bench-postgis}, so the server's data is never touched. The
 * last line is a one-line summary; every figure has the machine's load beside it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Benchmark the loader (buildings and persons per second) and OSM import beside osm2pgsql.")
public class ImportBenchCommand implements Callable<Integer> {

    @Option(names = "--residents", defaultValue = "" + DemoDistrictGenerator.BENCHMARK_RESIDENTS,
            description = "residents of the generated district (default ${DEFAULT-VALUE})")
    int residents;

    @Option(names = "--home", description = "where the scratch PostGIS cluster lives (default: $CAREGRID_HOME or "
            + "~/.local/share/caregrid)")
    Path home;

    @Option(names = "--osm-only", description = "skip the benchmark district: only the OSM import beside osm2pgsql")
    boolean osmOnly;

    @Parameters(index = "0", arity = "0..1", description = "the OSM file (default ../shared/data/osm/north-bayreuth.osm.gz)")
    Path osmFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ImportBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path base = home != null ? home : Path.of(System.getenv().getOrDefault("CAREGRID_HOME",
                System.getProperty("user.home") + "/.local/share/caregrid"));
        Path osm = osmFile != null ? osmFile : Path.of("..", "shared", "data", "osm", "north-bayreuth.osm.gz");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        IdNumberHasher hasher = IdNumberHasher.withKey(key);
        try (EmbeddedPostgis postgis = EmbeddedPostgis.forHome(base.resolve("bench-postgis")).start()) {
            String loaderSummary = osmOnly ? "" : loaderBench(postgis, hasher) + "; ";
            if (!Files.isRegularFile(osm)) {
                System.out.println("OSM: " + osm.toAbsolutePath() + " not found; give the file as an argument");
                return 1;
            }
            String fileName = osm.getFileName().toString();
            // like for like with osm2pgsql: read the file, build the records, load them, commit; first in a JVM that
            // has not run it yet (as ./caregrid import-osm runs), then again as a running server would
            ImportPhases phases = new ImportPhases();
            long loaded = osmOnce(postgis, "bench_osm", osm, hasher, phases);
            double ours = phases.totalMillis();
            System.out.printf(Locale.ROOT, "OSM caregrid: %s, %,d rows (buildings, compounds, entrances, facilities) in "
                    + "%.2f s (load %s)%n", fileName, loaded, ours / 1000.0, load());
            System.out.println("OSM caregrid phases: " + describe(phases));
            long theirs = osm2pgsql(postgis, ScratchDatabases.fresh(postgis, "bench_osm2pgsql"), osm);
            String ratio = theirs > 0 ? String.format(Locale.ROOT, "%.2f", ours / theirs) : "n/a";
            System.out.printf(Locale.ROOT, "OSM osm2pgsql: %s (load %s)%n", theirs > 0
                    ? String.format(Locale.ROOT, "%.2f s", theirs / 1000.0) : "not run (install Debian's osm2pgsql)", load());
            ImportPhases again = new ImportPhases();
            osmOnce(postgis, "bench_osm", osm, hasher, again);
            double warm = again.totalMillis();
            String warmRatio = theirs > 0 ? String.format(Locale.ROOT, "%.2f", warm / theirs) : "n/a";
            System.out.printf(Locale.ROOT, "OSM caregrid again (same JVM, fresh database): %.2f s (load %s)%n",
                    warm / 1000.0, load());
            System.out.println("OSM caregrid again phases: " + describe(again));

            // what ./caregrid import-osm does beyond that: the job row, the road network copy, the grid proposals
            ImportPhases job = new ImportPhases();
            String jobDb = ScratchDatabases.fresh(postgis, "bench_osm_job");
            // a home of its own: the job keeps the file's roads there, which in the district benches' home would
            // become their road network (every Chengdu home unsnappable on a Bavarian graph)
            Path jobHome = base.resolve("bench-import-home");
            SpringApplication app = new SpringApplication(CaregridApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            boolean succeeded;
            try (ConfigurableApplicationContext context = app.run("--caregrid.mode=admin",
                    "--caregrid.home=" + jobHome.toAbsolutePath(), "--caregrid.db.url=" + postgis.jdbcUrl(jobDb),
                    "--caregrid.db.user=" + postgis.username(), "--caregrid.db.password=" + postgis.password(),
                    "--logging.level.root=warn")) {
                ImportJobs jobs = context.getBean(ImportJobs.class);
                job.restart();
                long id = jobs.create(ImportRequest.OSM, fileName, null, "bench");
                job.mark("job.create");
                ImportJobs.Outcome outcome = jobs.run(id, osm, fileName,
                        new ImportRequest(ImportRequest.OSM, null, null, null), ImportProgress.NONE, job);
                succeeded = outcome.succeeded();
                job.restart();
                Path roads = Files.createDirectories(jobHome.resolve("roads"));
                Files.copy(osm, roads.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
                job.mark("roads.copy");
                AutoGrids.Result grids = context.getBean(AutoGrids.class).proposeWhereNone(osm, job);
                System.out.printf(Locale.ROOT, "OSM import-osm: job %s, %d grids proposed, in %.2f s (Spring start-up "
                                + "not counted; load %s)%n", succeeded ? "succeeded" : "FAILED", grids.grids(),
                        job.totalMillis() / 1000.0, load());
                System.out.println("OSM import-osm phases: " + describe(job));
            }
            System.out.printf(Locale.ROOT, "SUMMARY %sOSM %s: caregrid %.2f s, osm2pgsql %s, ratio caregrid/osm2pgsql %s "
                            + "(again %.2f s: %s); import-osm end to end %.2f s (ratio %s); load %s%n",
                    loaderSummary, fileName, ours / 1000.0,
                    theirs > 0 ? String.format(Locale.ROOT, "%.2f s", theirs / 1000.0) : "n/a", ratio,
                    warm / 1000.0, warmRatio,
                    job.totalMillis() / 1000.0,
                    theirs > 0 ? String.format(Locale.ROOT, "%.2f", job.totalMillis() / theirs) : "n/a", load());
            return succeeded ? 0 : 1;
        }
    }

    /** Reads {@code osm} and loads it into a fresh scratch database {@code db}, in one transaction; rows staged. */
    private static long osmOnce(EmbeddedPostgis postgis, String db, Path osm, IdNumberHasher hasher,
                                ImportPhases phases) throws SQLException {
        try (Connection c = ScratchDatabases.open(postgis, ScratchDatabases.fresh(postgis, db))) {
            phases.restart();
            OsmData data = OsmReader.read(osm, ImportProgress.NONE, phases);
            RecordLoader loader = new RecordLoader(c, "osm", osm.getFileName().toString(), hasher).timed(phases);
            phases.mark("load.setup");
            ImportJobs.stageOsm(data, loader);
            phases.mark("load.stage");
            long loaded = loader.finish().stagedTotal();
            c.commit();
            phases.mark("load.commit");
            return loaded;
        }
    }

    /** The benchmark-scale district through the loader: buildings, then persons; returns the summary's part. */
    private String loaderBench(EmbeddedPostgis postgis, IdNumberHasher hasher) throws Exception {
        String db = ScratchDatabases.fresh(postgis, "bench_loader");
        DemoDistrict district = DemoDistrictGenerator.generate(1, residents);
        long placesRows;
        long placesMs;
        long persons = district.countPopulation().persons();
        long populationRows;
        long populationMs;
        try (Connection c = ScratchDatabases.open(postgis, db)) {
            long start = System.nanoTime();
            RecordLoader loader = new RecordLoader(c, "demo", "benchmark district", hasher);
            district.adminAreas().forEach(loader::adminArea);
            district.grids().forEach(loader::grid);
            district.compounds().forEach(loader::compound);
            district.buildings().forEach(loader::building);
            district.units().forEach(loader::unit);
            placesRows = loader.finish().stagedTotal();
            c.commit();
            placesMs = (System.nanoTime() - start) / 1_000_000;

            start = System.nanoTime();
            loader = new RecordLoader(c, "demo", "benchmark district", hasher);
            district.visitPopulation(loader);
            populationRows = loader.finish().stagedTotal();
            c.commit();
            populationMs = (System.nanoTime() - start) / 1_000_000;
        }
        long buildings = district.buildings().size();
        System.out.printf(Locale.ROOT, "Buildings: %,d buildings (%,d rows with areas, grids, compounds, units) in %.1f s: "
                        + "%,.0f buildings/s, %,.0f rows/s%n", buildings, placesRows, placesMs / 1000.0,
                buildings * 1000.0 / placesMs, placesRows * 1000.0 / placesMs);
        System.out.printf(Locale.ROOT, "Persons: %,d persons (%,d rows with key persons, heads, volunteers, visits, "
                        + "requests) in %.1f s: %,.0f persons/s, %,.0f rows/s%n", persons, populationRows,
                populationMs / 1000.0, persons * 1000.0 / populationMs, populationRows * 1000.0 / populationMs);

        return String.format(Locale.ROOT, "buildings %,.0f/s, persons %,.0f/s (%,d residents)",
                buildings * 1000.0 / placesMs, persons * 1000.0 / populationMs, persons);
    }

    private static String describe(ImportPhases phases) {
        StringBuilder line = new StringBuilder();
        phases.millis().forEach((phase, ms) -> line.append(line.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.0f ms", phase, ms)));
        return line.toString();
    }

    /** The machine's 1-minute load average, beside every figure: the machine is shared. */
    private static String load() {
        return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    /** Milliseconds osm2pgsql takes to import the file into {@code db}, or -1 when it is not installed. */
    private static long osm2pgsql(EmbeddedPostgis postgis, String db, Path osm) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/osm2pgsql");
        if (!Files.isExecutable(binary)) {
            return -1;
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--create", "--output=pgsql",
                "--database=" + db, "--host=localhost", "--port=" + postgis.port(), "--username=" + postgis.username(),
                osm.toAbsolutePath().toString()));
        Path log = Files.createTempFile("osm2pgsql", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PGPASSWORD", postgis.password());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroy();
            throw new IOException("osm2pgsql failed (exit " + (process.isAlive() ? "timeout" : process.exitValue())
                    + "); its log is in " + log);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        // kept only when it failed: every bench run left one in /tmp
        Files.deleteIfExists(log);
        return millis;
    }
}
