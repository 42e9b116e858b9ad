package org.caregrid.server.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.caregrid.server.ogc.TileBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The vector tile benchmark: the benchmark district (≈ 1 000 000 residents) in a scratch database, the tile
 * cache off; building tiles at z12–z16 beside their bare SQL, and items pages beside a plain SELECT.
 */
@Command(name = "tiles", mixinStandardHelpOptions = true,
        description = "Benchmark vector tiles (z12-z16) and items pages on the benchmark district.")
public class TilesBenchCommand implements Callable<Integer> {

    @Mixin
    BenchDistrict district;

    @Option(names = "--tiles", defaultValue = "50", description = "random tiles per zoom (default ${DEFAULT-VALUE})")
    int tiles;

    @Option(names = "--pages", defaultValue = "20", description = "items pages of 1000 (default ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        return district.run("bench_tiles", List.of("--caregrid.ogc.tile-cache.max-tiles=0"),
                (context, postgis, db) -> TileBench.run(context, tiles, pages, seed));
    }
}
