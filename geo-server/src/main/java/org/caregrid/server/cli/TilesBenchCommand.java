package org.caregrid.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.db.EmbeddedPostgis;
import org.caregrid.server.ogc.TileBench;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The vector tile benchmark: the benchmark district (≈ 1 000 000 residents) in a scratch database, the tile
 * cache off; building tiles at z12–z16 beside their bare SQL, and items pages beside a plain SELECT.
 */
@Command(name = "tiles", mixinStandardHelpOptions = true,
        description = "Benchmark vector tiles (z12-z16) and items pages on the benchmark district.")
public class TilesBenchCommand implements Callable<Integer> {

    @Option(names = "--residents", defaultValue = "" + DemoDistrictGenerator.BENCHMARK_RESIDENTS,
            description = "residents of the generated district (default ${DEFAULT-VALUE})")
    int residents;

    @Option(names = "--tiles", defaultValue = "50", description = "random tiles per zoom (default ${DEFAULT-VALUE})")
    int tiles;

    @Option(names = "--pages", defaultValue = "20", description = "items pages of 1000 (default ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

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
            String db = "bench_tiles";
            if (reuse && ScratchDatabases.hasPersons(postgis, db)) {
                System.out.println("Reusing the benchmark district loaded by an earlier run");
            } else {
                CoverageBenchCommand.loadDistrict(postgis, ScratchDatabases.fresh(postgis, db), residents);
            }
            SpringApplication app = new SpringApplication(CaregridApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            try (ConfigurableApplicationContext context = app.run("--caregrid.mode=bench",
                    "--caregrid.home=" + base.resolve("bench-home").toAbsolutePath(),
                    "--caregrid.db.url=" + postgis.jdbcUrl(db), "--caregrid.db.user=" + postgis.username(),
                    "--caregrid.db.password=" + postgis.password(), "--logging.level.root=warn",
                    "--caregrid.ogc.tile-cache.max-tiles=0")) {
                return TileBench.run(context, tiles, pages, seed);
            }
        }
    }
}
