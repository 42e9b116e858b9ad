package org.caregrid.server.cli;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;

import org.caregrid.server.CaregridApplication;
import org.caregrid.server.coverage.CoverageArea;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.coverage.CoverageQueries;
import org.caregrid.server.coverage.CoverageVerifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code caregrid coverage …}: tools for the maintained coverage state. */
@Command(name = "coverage", mixinStandardHelpOptions = true, description = "Coverage state tools.",
        subcommands = CoverageCommands.Verify.class)
public class CoverageCommands implements Callable<Integer> {

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute every coverage metric from the source tables and compare it with the maintained "
                    + "state, item by item, today and on the other days given; exits 1 when they differ.")
    static class Verify implements Callable<Integer> {

        @Option(names = "--area", description = "a 12-digit area code: only this area (default: everywhere)")
        String area;

        @Option(names = "--day", split = ",", description = "days to compare besides today, e.g. 2026-01-31,2026-06-30")
        List<LocalDate> days = List.of();

        @Option(names = "--figures", description = "also compare the figures of the area and every place below it")
        boolean figures;

        @Option(names = "--limit", defaultValue = "20", description = "differences shown per metric and day (default ${DEFAULT-VALUE})")
        int limit;

        /** Spring settings, e.g. --caregrid.db.url=… to check another database. */
        @Unmatched
        List<String> springArgs = new java.util.ArrayList<>();

        @Override
        public Integer call() {
            if (area != null && !area.matches("[0-9]{12}")) {
                System.err.println("--area is a 12-digit division code; got '" + area + "'");
                return 2;
            }
            SpringApplication app = new SpringApplication(CaregridApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            List<String> args = new java.util.ArrayList<>(springArgs);
            args.addAll(List.of("--caregrid.mode=admin", "--logging.level.root=warn"));
            try (ConfigurableApplicationContext context = app.run(args.toArray(String[]::new))) {
                CoverageQueries queries = context.getBean(CoverageQueries.class);
                CoverageVerifier verifier = context.getBean(CoverageVerifier.class);
                LocalDate today = LocalDate.now(ZoneId.of(context.getBean(CoverageProperties.class).timeZone()));
                List<LocalDate> all = new java.util.ArrayList<>(List.of(today));
                days.stream().filter(d -> !all.contains(d)).forEach(all::add);
                String prefix = "";
                CoverageArea place = null;
                if (area != null) {
                    place = queries.findArea(area, null).orElse(null);
                    if (place == null) {
                        System.err.println("No area " + area);
                        return 2;
                    }
                    prefix = place.prefix();
                } else if (figures) {
                    place = queries.home(org.caregrid.server.security.AreaScope.everywhere()).orElse(null);
                }
                long start = System.nanoTime();
                List<CoverageVerifier.Difference> differences = new java.util.ArrayList<>(verifier.items(prefix, all, limit));
                if (figures && place != null) {
                    differences.addAll(verifier.figures(place, all));
                }
                differences.forEach(System.out::println);
                System.out.printf(java.util.Locale.ROOT, "coverage verify%s on %s: %s (%.1f s)%n",
                        area == null ? "" : " --area " + area, all,
                        differences.isEmpty() ? "the maintained state equals the full computation"
                                : differences.size() + " differences", (System.nanoTime() - start) / 1e9);
                return differences.isEmpty() ? 0 : 1;
            }
        }
    }
}
