package org.caregrid.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

import org.caregrid.importer.Building;
import org.caregrid.importer.Facility;
import org.caregrid.importer.FacilityKind;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.Person;
import org.caregrid.importer.Unit;
import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.importer.demo.DemoDistrictGenerator;
import org.caregrid.importer.demo.PopulationVisitor;
import org.caregrid.routing.NearestFacilities;
import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.ServiceAreas;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.TravelSummary;
import org.caregrid.routing.bench.MatrixBench;
import org.caregrid.routing.bench.VrpBench;
import org.caregrid.server.config.MachineLoad;
import org.caregrid.server.routing.NearestFacilityRefresher;
import org.locationtech.jts.geom.Point;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caregrid bench ...}: programs that measure the routing and print figures, the last line
 * starting with {@code SUMMARY}. Speed is measured here, never in the tests.
 */
@Command(name = "bench", description = "Benchmarks of the routing: matrix, vrp, nearest (figures, then a SUMMARY line).",
        subcommands = {BenchCommand.Matrix.class, BenchCommand.Vrp.class, BenchCommand.Nearest.class,
                ImportBenchCommand.class, CoverageBenchCommand.class, TilesBenchCommand.class, LoadBenchCommand.class})
public class BenchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** Graphs for benchmarks go beside the server's, in their own folder. */
    static Path cacheDir() {
        String home = System.getenv("CAREGRID_HOME");
        return home == null || home.isBlank() ? Path.of("target", "bench-graphs") : Path.of(home, "graphs", "bench");
    }

    @Command(name = "matrix", description = "Bucket many-to-many matrix vs one-to-one CH routes on random places.")
    static class Matrix implements Callable<Integer> {
        @Parameters(index = "0", description = "OSM file (.osm, .osm.gz, .pbf)")
        Path osm;
        @Option(names = "--sizes", description = "matrix sizes, e.g. 100,500 (default)")
        String sizes;
        @Option(names = "--mode", description = "foot (default), bike or car")
        String mode;
        @Option(names = "--pair-sample", description = "compare only this many one-to-one pairs, extrapolate the rest")
        Long pairSample;

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>(List.of(osm.toString(), "--cache", cacheDir().toString()));
            if (sizes != null) {
                args.addAll(List.of("--sizes", sizes));
            }
            if (mode != null) {
                args.addAll(List.of("--mode", mode));
            }
            if (pairSample != null) {
                args.addAll(List.of("--pair-sample", pairSample.toString()));
            }
            MatrixBench.main(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "vrp", description = "The route optimisers on every CVRPLIB .vrp / Solomon .txt with a .sol beside it.")
    static class Vrp implements Callable<Integer> {
        @Parameters(index = "0", description = "folder searched recursively")
        Path dir;
        @Option(names = "--time-limit", description = "seconds per instance (default 10)")
        long timeLimit = 10;
        @Option(names = "--solver", description = "caregrid (hybrid genetic search), ortools or both (default)")
        String solver = "both";
        @Option(names = "--threads", description = "cores caregrid's solver may use (default 1)")
        int threads = 1;
        @Option(names = "--seed", description = "caregrid's solver seed (default 1)")
        long seed = 1;

        @Override
        public Integer call() throws IOException {
            VrpBench.main(new String[] {dir.toString(), "--time-limit", Long.toString(timeLimit), "--solver", solver,
                    "--threads", Integer.toString(threads), "--seed", Long.toString(seed)});
            return 0;
        }
    }

    @Command(name = "nearest", description = "Nearest health facility for every key person of the benchmark district: "
            + "one multi-source search vs one-to-one routes on a sample, extrapolated; then the walking service areas "
            + "of health facilities: one isochrone per facility and limit vs one multi-source search; with --store, "
            + "the server's refresh of the stored rows (read, search, rows, writes) on the district in a scratch PostGIS.")
    static class Nearest implements Callable<Integer> {
        @Option(names = "--seed", description = "district seed (default 1; --store loads seed 1)")
        long seed = 1;
        /** --residents, and for --store: --reuse and --home of the scratch PostGIS. */
        @Mixin
        BenchDistrict stored;
        @Option(names = "--store", description = "also time the server's refresh of nearest_facility, writes included, "
                + "on the district loaded into a scratch PostGIS (about 10 minutes at 1 000 000 residents; --reuse "
                + "keeps it for the next run)")
        boolean store;
        @Option(names = "--sample", description = "key persons routed one by one (default 100)")
        int sample = 100;
        @Option(names = "--area-facilities", description = "health facilities whose walking service areas are "
                + "timed both ways (default 200, the planner's most per view)")
        int areaFacilities = 200;
        @Option(names = "--area-minutes", split = ",", description = "their limits (default 5,10,15)")
        List<Integer> areaMinutes = List.of(5, 10, 15);

        private static final Set<FacilityKind> HEALTH = EnumSet.of(FacilityKind.PHARMACY, FacilityKind.CLINIC,
                FacilityKind.VILLAGE_CLINIC, FacilityKind.COMMUNITY_HEALTH_CENTRE);

        @Override
        public Integer call() throws Exception {
            if (!store) {
                return generateAndMeasure(null);
            }
            if (seed != 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--store loads the district of seed 1");
            }
            return stored.run("bench_nearest", List.of(), (context, postgis, db) -> generateAndMeasure(
                    new StoredWalks(context.getBean(NearestFacilityRefresher.class), context.getBean(JdbcClient.class))));
        }

        /** The server's refresh on the stored district, and a way to start it from no stored walk. */
        record StoredWalks(NearestFacilityRefresher refresher, JdbcClient jdbc) {
            void forget() {
                jdbc.sql("DELETE FROM nearest_facility WHERE facility_group = 'health'").update();
            }
        }

        private int generateAndMeasure(StoredWalks walks) throws IOException {
            int residents = stored.residents;
            long t0 = System.nanoTime();
            DemoDistrict district = DemoDistrictGenerator.generate(seed, residents);
            List<Place> homes = keyPersonHomes(district);
            List<Place> facilities = new ArrayList<>();
            for (Facility f : district.facilities()) {
                if (HEALTH.contains(f.kind())) {
                    facilities.add(new Place(f.externalId(), f.location().getY(), f.location().getX()));
                }
            }
            System.out.printf(Locale.ROOT, "district seed %d, %d residents: %d buildings, %d key persons, "
                            + "%d health facilities (generated in %.1f s)%n", seed, residents, district.buildings().size(),
                    homes.size(), facilities.size(), (System.nanoTime() - t0) / 1e9);
            Path roads = Files.createTempFile("caregrid-bench-roads", ".osm");
            try {
                district.writeRoadNetworkOsm(roads);
                return measure(roads, homes, facilities, walks);
            } finally {
                Files.deleteIfExists(roads);
            }
        }

        private int measure(Path roads, List<Place> homes, List<Place> facilities, StoredWalks walks) {
            TravelMode mode = TravelMode.FOOT;
            long t0 = System.nanoTime();
            try (RoadNetwork network = RoadNetwork.open(roads, cacheDir(), EnumSet.of(mode),
                    RoadNetwork.DEFAULT_MAX_SNAP_DISTANCE_METERS)) {
                System.out.printf(Locale.ROOT, "graph %s ready in %.1f s%n", network.graphFolder().getFileName(),
                        (System.nanoTime() - t0) / 1e9);
                // warm both sides up so that neither pays for the JIT: one whole search (a search of 100 homes left
                // the bulk snapping and the long search loop to be compiled during the timed runs)
                network.nearestFacilities(mode, facilities, homes, NearestFacilities.Direction.PERSON_TO_FACILITY);
                // three runs, each printed, the median kept: one run on a shared 2-core machine is noisy
                List<NearestFacilities> runs = new ArrayList<>();
                for (int run = 0; run < 3; run++) {
                    NearestFacilities one = network.nearestFacilities(mode, facilities, homes,
                            NearestFacilities.Direction.PERSON_TO_FACILITY);
                    runs.add(one);
                    printPhases("multi-source search run " + (run + 1), one.phases());
                }
                runs.sort(Comparator.comparingLong(r -> r.phases().totalNanos()));
                NearestFacilities all = runs.get(1);
                double searchSeconds = all.phases().totalNanos() / 1e9;
                double passSeconds = all.phases().searchNanos() / 1e9;
                long start;
                Map<String, NearestFacilities.Nearest> byId = new HashMap<>();
                all.results().forEach(r -> byId.put(r.personId(), r));

                List<Place> candidates = new ArrayList<>(homes.stream().filter(h -> byId.containsKey(h.id())).toList());
                Collections.shuffle(candidates, new Random(7));
                List<Place> sampled = candidates.subList(0, Math.min(sample, candidates.size()));
                // one route per person, to the facility the search found: the least a per-person approach costs
                Map<String, Place> facilityById = new HashMap<>();
                facilities.forEach(f -> facilityById.put(f.id(), f));
                // warmed up on other persons first: until 2026-12-01 the first timed routes paid for the JIT, and
                // one route per person came out 2-6 times dearer than each of the routes to every facility after it
                for (Place home : candidates.subList(sampled.size(), Math.min(candidates.size(), sampled.size() + 50))) {
                    byId.get(home.id()).facilityId().ifPresent(f -> network.travel(mode, home, facilityById.get(f)));
                }
                start = System.nanoTime();
                for (Place home : sampled) {
                    byId.get(home.id()).facilityId().ifPresent(f -> network.travel(mode, home, facilityById.get(f)));
                }
                double perRoute = (System.nanoTime() - start) / 1e9 / Math.max(1, sampled.size());
                double oneRouteEach = perRoute * all.results().size();
                // every facility per person: what finding the nearest without the search costs, and a check
                int agree = 0;
                start = System.nanoTime();
                for (Place home : sampled) {
                    String best = null;
                    double bestWeight = Double.POSITIVE_INFINITY;
                    for (Place facility : facilities) {
                        Optional<TravelSummary> t = network.travel(mode, home, facility);
                        if (t.isPresent() && t.get().weight() < bestWeight) {
                            bestWeight = t.get().weight();
                            best = facility.id();
                        }
                    }
                    if (best != null && best.equals(byId.get(home.id()).facilityId().orElse(null))) {
                        agree++;
                    }
                }
                double perPerson = (System.nanoTime() - start) / 1e9 / Math.max(1, sampled.size());
                double oneByOne = perPerson * all.results().size();
                long reached = all.results().stream().filter(NearestFacilities.Nearest::reachable).count();
                System.out.printf(Locale.ROOT, "multi-source search: %.3f s for %d key persons (%d unsnapped, %d reached)%n",
                        searchSeconds, all.results().size(), all.unsnappedPeople().size(), reached);
                System.out.printf(Locale.ROOT, "one route per person: %.3f ms, %.1f s extrapolated to all (%.1fx the search)%n",
                        perRoute * 1000, oneRouteEach, oneRouteEach / searchSeconds);
                System.out.printf(Locale.ROOT, "routes to every facility: %.2f ms per person (%d routes each), %.1f s "
                        + "extrapolated; same facility for %d of %d sampled%n", perPerson * 1000, facilities.size(), oneByOne,
                        agree, sampled.size());
                System.out.printf(Locale.ROOT, "against one route per person: the pass over the graph alone %.3f s "
                                + "(%.0fx), the whole call with snapping %.3f s (%.0fx)%n", passSeconds,
                        oneRouteEach / passSeconds, searchSeconds, oneRouteEach / searchSeconds);
                double[] storedSeconds = {Double.NaN, Double.NaN};
                if (walks != null) {
                    storedSeconds = storeRows(network, walks, all.results().size(), oneRouteEach);
                }
                // the first facilities of the district, spread over it, and those of one planner's view: the nearest
                // to the district's middle, whose areas overlap as the areas of a view of one part of a city do
                serviceAreas(network, facilities.subList(0, Math.min(areaFacilities, facilities.size())), "spread over the district");
                AreaTimes areas = serviceAreas(network, inOneView(facilities, areaFacilities), "in one view");
                System.out.printf(Locale.ROOT, "SUMMARY key-persons=%d facilities=%d multi-source=%.3fs pass=%.3fs "
                                + "one-route-each(extrapolated)=%.1fs ratio=%.1fx pass-ratio=%.0fx with-writes(all)=%.3fs "
                                + "ratio=%.1fx with-writes(unchanged)=%.3fs ratio=%.1fx all-facilities(extrapolated)=%.1fs "
                                + "ratio=%.0fx agree=%d/%d service-areas=%dx%d isochrones=%.3fs one-search=%.3fs "
                                + "ratio=%.1fx load=%s%n", all.results().size(), facilities.size(), searchSeconds, passSeconds,
                        oneRouteEach, oneRouteEach / searchSeconds, oneRouteEach / passSeconds, storedSeconds[0],
                        oneRouteEach / storedSeconds[0], storedSeconds[1], oneRouteEach / storedSeconds[1], oneByOne, oneByOne / searchSeconds, agree, sampled.size(),
                        areas.facilities(), areaMinutes.size(), areas.isochrones(), areas.oneSearch(),
                        areas.isochrones() / areas.oneSearch(), MachineLoad.now());
                return 0;
            }
        }

        /**
         * The server's refresh of nearest_facility on the stored district (its homes read from PostGIS, the search,
         * the rows, one statement writing them with the coverage upkeep), printed: first from no stored walk (every
         * row written: a district's first refresh), then again (nothing changed: every refresh after it that finds
         * the same walks). Both times, in that order.
         */
        private static double[] storeRows(RoadNetwork network, StoredWalks walks, int keyPersons, double oneRouteEach) {
            walks.forget();
            double[] seconds = new double[2];
            NearestFacilityRefresher.Outcome outcome = null;
            for (int run = 0; run < 2; run++) {
                outcome = walks.refresher().refresh(network);
                seconds[run] = outcome.totalMillis() / 1e3;
                System.out.printf(Locale.ROOT, "stored refresh %s: %d rows (%d reached, %d written, %d removed) in %.3f s: "
                                + "read %.3f s, search %.3f s, rows %.3f s, writes %.3f s (load %s)%n",
                        run == 0 ? "from no stored walk" : "again, nothing changed", outcome.persons(), outcome.reached(),
                        outcome.written(), outcome.removed(), seconds[run], outcome.readMillis() / 1e3,
                        outcome.searchMillis() / 1e3, outcome.rowsMillis() / 1e3, outcome.writeMillis() / 1e3,
                        MachineLoad.now());
            }
            if (outcome.persons() != keyPersons) {
                System.out.printf(Locale.ROOT, "note: %d key persons stored, %d in the generated district%n",
                        outcome.persons(), keyPersons);
            }
            System.out.printf(Locale.ROOT, "with the writes: every row %.3f s, nothing changed %.3f s, against one route per "
                    + "person %.1f s: %.0fx and %.0fx%n", seconds[0], seconds[1], oneRouteEach, oneRouteEach / seconds[0],
                    oneRouteEach / seconds[1]);
            return seconds;
        }

        private static void printPhases(String what, NearestFacilities.Phases p) {
            System.out.printf(Locale.ROOT, "%s phases: snapping %.3f s, query graph %.3f s, search %.3f s, results %.3f s "
                            + "(load %s)%n", what, p.snapNanos() / 1e9, p.queryGraphNanos() / 1e9, p.searchNanos() / 1e9,
                    p.resultsNanos() / 1e9, MachineLoad.now());
        }

        record AreaTimes(int facilities, double isochrones, double oneSearch) {
        }

        /** The {@code count} facilities nearest to the middle of all of them. */
        private static List<Place> inOneView(List<Place> facilities, int count) {
            double lat = facilities.stream().mapToDouble(Place::lat).average().orElse(0);
            double lon = facilities.stream().mapToDouble(Place::lon).average().orElse(0);
            return facilities.stream()
                    .sorted(Comparator.comparingDouble(f -> Math.hypot(f.lat() - lat, (f.lon() - lon) * Math.cos(Math.toRadians(lat)))))
                    .limit(count).toList();
        }

        /**
         * The planner's walking service areas of {@code facilities}: one isochrone per facility and limit (the
         * way before 2026-11-30, without the merge in PostGIS it also needed) beside one multi-source search.
         */
        private AreaTimes serviceAreas(RoadNetwork network, List<Place> facilities, String where) {
            List<Duration> limits = areaMinutes.stream().map(Duration::ofMinutes).toList();
            // warm both ways up on a few facilities
            List<Place> few = facilities.subList(0, Math.min(5, facilities.size()));
            network.serviceAreas(TravelMode.FOOT, few, limits);
            few.forEach(f -> network.isochrone(TravelMode.FOOT, f, limits.get(0)));
            long start = System.nanoTime();
            ServiceAreas areas = network.serviceAreas(TravelMode.FOOT, facilities, limits);
            double oneSearch = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            for (Place facility : facilities) {
                for (Duration limit : limits) {
                    network.isochrone(TravelMode.FOOT, facility, limit);
                }
            }
            double isochrones = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "service areas of %d health facilities %s at %s min (%d unsnapped): "
                            + "%d isochrones %.3f s, one multi-source search %.3f s (%.1fx)%n", facilities.size(), where,
                    areaMinutes, areas.unsnapped().size(), facilities.size() * limits.size(), isochrones, oneSearch,
                    isochrones / oneSearch);
            return new AreaTimes(facilities.size(), isochrones, oneSearch);
        }

        /** Home of every key person: own point, else the unit's entrance, else the building's entrance. */
        private static List<Place> keyPersonHomes(DemoDistrict district) {
            Map<String, Point> buildingEntrance = new HashMap<>();
            for (Building b : district.buildings()) {
                buildingEntrance.put(b.externalId(), b.entrance());
            }
            Map<String, Point> unitEntrance = new HashMap<>();
            for (Unit u : district.units()) {
                if (u.entrance() != null) {
                    unitEntrance.put(u.buildingExternalId() + "/" + u.number(), u.entrance());
                }
            }
            List<Place> homes = new ArrayList<>();
            // a building's persons come before its key-person profiles: only one building's homes are kept at a time
            Map<String, Point> homeOfPerson = new HashMap<>();
            district.visitPopulation(new PopulationVisitor() {
                private boolean profilesSeen;

                @Override
                public void person(Person p) {
                    if (profilesSeen) {
                        homeOfPerson.clear();
                        profilesSeen = false;
                    }
                    Point home = p.location() != null ? p.location()
                            : p.unit() != null && unitEntrance.containsKey(p.buildingRef() + "/" + p.unit())
                            ? unitEntrance.get(p.buildingRef() + "/" + p.unit()) : buildingEntrance.get(p.buildingRef());
                    if (home != null) {
                        homeOfPerson.put(p.externalId(), home);
                    }
                }

                @Override
                public void keyPerson(KeyPersonProfile profile) {
                    Point home = homeOfPerson.get(profile.personExternalId());
                    profilesSeen = true;
                    if (home != null) {
                        homes.add(new Place(profile.personExternalId(), home.getY(), home.getX()));
                    }
                }
            });
            return homes;
        }
    }
}
