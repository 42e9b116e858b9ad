package org.caregrid.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.caregrid.importer.OsmData;
import org.caregrid.importer.OsmReader;
import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.imports.RecordLoader;
import org.caregrid.server.people.IdNumberHasher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The import benchmark: loads the benchmark-scale demo district (buildings, then persons and the rest of the
 * population) into a scratch database through the same loader as real imports and prints rows per second; then
 * imports an OSM extract with caregrid and with osm2pgsql (Debian's package) into scratch databases of the same
 * cluster and prints both times and their ratio. Scratch databases live in a PostGIS cluster of their own under
 * {@code <home>/bench-postgis}, so the server's data is never touched. The last line is a one-line summary.
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

            if (!Files.isRegularFile(osm)) {
                System.out.println("OSM: " + osm.toAbsolutePath() + " not found; give the file as an argument");
                return 1;
            }
            String osmDb = ScratchDatabases.fresh(postgis, "bench_osm");
            long ours;
            long loaded;
            try (Connection c = ScratchDatabases.open(postgis, osmDb)) {
                long start = System.nanoTime();
                OsmData data = OsmReader.read(osm);
                RecordLoader loader = new RecordLoader(c, "osm", osm.getFileName().toString(), hasher);
                ImportJobs.stageOsm(data, loader);
                loaded = loader.finish().stagedTotal();
                c.commit();
                ours = (System.nanoTime() - start) / 1_000_000;
            }
            System.out.printf(Locale.ROOT, "OSM caregrid: %s, %,d rows (buildings, compounds, entrances, facilities) in %.1f s%n",
                    osm.getFileName(), loaded, ours / 1000.0);
            long theirs = osm2pgsql(postgis, ScratchDatabases.fresh(postgis, "bench_osm2pgsql"), osm);
            String ratio = theirs > 0 ? String.format(Locale.ROOT, "%.2f", ours / (double) theirs) : "n/a";
            System.out.printf(Locale.ROOT, "OSM osm2pgsql: %s%n", theirs > 0 ? String.format(Locale.ROOT, "%.1f s", theirs / 1000.0)
                    : "not run (install Debian's osm2pgsql)");
            System.out.printf(Locale.ROOT, "SUMMARY buildings %,.0f/s, persons %,.0f/s (%,d residents); OSM %s: caregrid %.1f s, "
                            + "osm2pgsql %s, ratio caregrid/osm2pgsql %s%n",
                    buildings * 1000.0 / placesMs, persons * 1000.0 / populationMs, persons, osm.getFileName(),
                    ours / 1000.0, theirs > 0 ? String.format(Locale.ROOT, "%.1f s", theirs / 1000.0) : "n/a", ratio);
            return 0;
        }
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("osm2pgsql", ".log").toFile());
        builder.environment().put("PGPASSWORD", postgis.password());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroy();
            throw new IOException("osm2pgsql failed (exit " + (process.isAlive() ? "timeout" : process.exitValue())
                    + "); its log is in " + builder.redirectOutput().file());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
