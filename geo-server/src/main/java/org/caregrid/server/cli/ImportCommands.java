package org.caregrid.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.caregrid.importer.ImportError;
import org.caregrid.importer.ImportProgress;
import org.caregrid.server.CaregridApplication;
import org.caregrid.server.assignment.Rosters;
import org.caregrid.server.config.CaregridProperties;
import org.caregrid.server.imports.AutoGrids;
import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.imports.ImportRequest;
import org.caregrid.server.imports.Populate;
import org.caregrid.server.visit.Ledgers;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code import}, {@code import-osm} and {@code populate}: one-off commands on the server's database. */
final class ImportCommands {

    private ImportCommands() {
    }

    /** The server's beans without its web server, on the same database and home as {@code serve}. */
    static ConfigurableApplicationContext context() {
        SpringApplication app = new SpringApplication(CaregridApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        return app.run("--caregrid.mode=admin");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a file (GeoJSON, GeoPackage, Shapefile, CSV, XLSX, OSM) as one all-or-nothing job.")
    static class Import implements Callable<Integer> {
        @Option(names = "--type", required = true,
                description = "admin-areas, grids, compounds, buildings, units, persons, key-persons, volunteers, "
                        + "facilities, micro-organisations, assignments (a roster of heads and 包保), visits (a visit "
                        + "ledger, 走访台账), or osm")
        String type;

        @Option(names = "--dry-run", description = "assignments, visits: list what would be created (and ended); "
                + "write nothing")
        boolean dryRun;

        @Option(names = "--end-unlisted", description = "assignments: end the appointments in the roster's scope "
                + "(the compounds of its buildings) that it no longer lists")
        boolean endUnlisted;

        @Option(names = "--crs", description = "the file's coordinate system when it does not say: EPSG:4547, GCJ-02, BD-09")
        String crs;

        @Option(names = "--mapping", description = "a field-mapping file (caregridField = 源字段)")
        Path mapping;

        @Option(names = "--source", description = "the name re-imports are matched by (default: the file name)")
        String source;

        @Parameters(index = "0", description = "the file")
        Path file;

        @Override
        public Integer call() {
            try (ConfigurableApplicationContext context = context()) {
                return importFile(context, file, new ImportRequest(type, crs, mapping, source, dryRun, endUnlisted,
                        null)).succeeded() ? 0 : 1;
            }
        }
    }

    @Command(name = "import-osm", mixinStandardHelpOptions = true,
            description = "Import buildings, compounds, entrances and facilities of an OSM extract (.osm, .osm.gz, "
                    + ".osm.pbf), keep it as the road network, and propose grids where there are none.")
    static class ImportOsm implements Callable<Integer> {
        @Parameters(index = "0", description = "the OSM file")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (ConfigurableApplicationContext context = context()) {
                ImportJobs.Outcome outcome = importFile(context, file, new ImportRequest(ImportRequest.OSM, null, null, null));
                if (!outcome.succeeded()) {
                    return 1;
                }
                // the routing service takes the newest file in roads/
                Path roads = Files.createDirectories(context.getBean(CaregridProperties.class).home().resolve("roads"));
                Files.copy(file, roads.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                System.out.println("Road network: " + roads.resolve(file.getFileName()));
                AutoGrids.Result grids = context.getBean(AutoGrids.class).proposeWhereNone(file);
                System.out.println(grids.describe());
                return 0;
            }
        }
    }

    @Command(name = "populate", mixinStandardHelpOptions = true,
            description = "Fill imported buildings that have no residents with synthetic residents, key persons, "
                    + "heads and volunteers for trials (all marked synthetic).")
    static class PopulateCommand implements Callable<Integer> {
        @Option(names = "--seed", defaultValue = "1", description = "the same seed gives the same people (default 1)")
        long seed;

        @Override
        public Integer call() throws Exception {
            try (ConfigurableApplicationContext context = context()) {
                Populate.Result result = context.getBean(Populate.class).run(seed);
                System.out.println(result.describe());
                return 0;
            }
        }
    }

    static ImportJobs.Outcome importFile(ConfigurableApplicationContext context, Path file, ImportRequest request) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No such file: " + file);
        }
        ImportJobs jobs = context.getBean(ImportJobs.class);
        String name = file.getFileName().toString();
        long id = jobs.create(request.type(), name, request.crs(), "cli:" + System.getProperty("user.name"),
                request.dryRun());
        ImportJobs.Outcome outcome;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Reading " + name).setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build()) {
            ImportProgress progress = (rows, total) -> {
                bar.maxHint(total);
                bar.stepTo(rows);
            };
            outcome = jobs.run(id, file, name, request, progress);
        }
        outcome.steps(Rosters.Step.class).forEach(step -> System.out.println(describe(step)));
        outcome.steps(Ledgers.Step.class).forEach(step -> System.out.println(describe(step)));
        outcome.errors().forEach(e -> System.out.println(e));
        long problems = outcome.errors().stream().filter(e -> e.severity() != ImportError.Severity.WARNING).count();
        System.out.printf("Import job %d %s in %.1f s: %s%s%n", id, outcome.succeeded() ? "succeeded" : "FAILED",
                outcome.millis() / 1000.0, outcome.counts(),
                outcome.succeeded() ? "" : " (" + problems + " problems; nothing was changed)");
        if (request.dryRun() && outcome.succeeded()) {
            System.out.println("Dry run: nothing was changed.");
        }
        return outcome;
    }

    /** One line of a roster's plan, e.g. "end   building_head 3号楼 王志强 (2026-01-01 – 2026-11-29)". */
    static String describe(Rosters.Step step) {
        String place = step.keyPerson() != null ? "for " + step.keyPerson()
                : step.building() + (step.unit() != null ? " " + step.unit() : "");
        return String.format("%-9s %-13s %s %s (%s – %s)%s", step.action(), step.role(), place, step.person(),
                step.validFrom(), step.validTo() == null ? "" : step.validTo(),
                step.row() > 0 ? " row " + step.row() : "");
    }

    /** One line of a ledger's plan, e.g. "create    2026-11-05T09:30+08:00 door  李建国 by 王志强 row 2". */
    static String describe(Ledgers.Step step) {
        return String.format("%-9s %s %-6s %s%s row %d", step.action(), step.visitedAt(), step.method(), step.person(),
                step.visitor() == null ? "" : " by " + step.visitor(), step.row());
    }
}
