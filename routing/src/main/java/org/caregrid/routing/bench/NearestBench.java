package org.caregrid.routing.bench;

import org.caregrid.routing.NearestFacilities;
import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.TravelSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Nearest pharmacy (on foot) for every building of an OSM file: one multi-source search, beside one-to-one route
 * calls from a sample of buildings to every pharmacy (extrapolated to all buildings), and the ratio.
 *
 * <pre>java -cp ... org.caregrid.routing.bench.NearestBench [OSMFILE] [--sample N] [--cache DIR]</pre>
 */
public final class NearestBench {
    private NearestBench() {
    }

    public static void main(String[] args) throws IOException {
        Path osm = Path.of("../shared/data/osm/monaco.osm.gz");
        Path cache = Path.of("target/bench-graphs");
        int sample = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                case "--cache" -> cache = Path.of(args[++i]);
                default -> osm = Path.of(args[i]);
            }
        }
        OsmPlaces places = OsmPlaces.read(osm);
        System.out.printf(Locale.ROOT, "%s: %d buildings, %d pharmacies%n", osm.getFileName(),
                places.buildings().size(), places.pharmacies().size());
        if (places.pharmacies().isEmpty()) {
            System.out.println("SUMMARY no pharmacies in " + osm);
            return;
        }
        TravelMode mode = TravelMode.FOOT;
        try (RoadNetwork network = RoadNetwork.open(osm, cache, EnumSet.of(mode), RoadNetwork.DEFAULT_MAX_SNAP_DISTANCE_METERS)) {
            // Warm-up of both sides.
            network.nearestFacilities(mode, places.pharmacies(), places.buildings().subList(0, Math.min(50, places.buildings().size())),
                    NearestFacilities.Direction.PERSON_TO_FACILITY);
            long start = System.nanoTime();
            NearestFacilities all = network.nearestFacilities(mode, places.pharmacies(), places.buildings(),
                    NearestFacilities.Direction.PERSON_TO_FACILITY);
            double searchSeconds = (System.nanoTime() - start) / 1e9;

            Map<String, NearestFacilities.Nearest> byId = new HashMap<>();
            all.results().forEach(r -> byId.put(r.personId(), r));
            List<Place> candidates = new ArrayList<>(places.buildings().stream().filter(b -> byId.containsKey(b.id())).toList());
            Collections.shuffle(candidates, new Random(7));
            List<Place> sampled = candidates.subList(0, Math.min(sample, candidates.size()));
            int agree = 0;
            start = System.nanoTime();
            for (Place building : sampled) {
                String bestId = null;
                double bestWeight = Double.POSITIVE_INFINITY;
                for (Place pharmacy : places.pharmacies()) {
                    Optional<TravelSummary> t = network.travel(mode, building, pharmacy);
                    if (t.isPresent() && t.get().weight() < bestWeight) {
                        bestWeight = t.get().weight();
                        bestId = pharmacy.id();
                    }
                }
                if (bestId != null && byId.get(building.id()).facilityId().orElse("").equals(bestId)) {
                    agree++;
                }
            }
            double perBuilding = (System.nanoTime() - start) / 1e9 / Math.max(1, sampled.size());
            double oneToOneSeconds = perBuilding * all.results().size();
            long reachable = all.results().stream().filter(NearestFacilities.Nearest::reachable).count();
            System.out.printf(Locale.ROOT, "multi-source search: %.3f s for %d snapped buildings (%d unsnapped, %d reached a pharmacy)%n",
                    searchSeconds, all.results().size(), all.unsnappedPeople().size(), reachable);
            System.out.printf(Locale.ROOT, "one-to-one: %.2f ms per building (%d routes each), %.3f s extrapolated to all; "
                    + "same nearest pharmacy on %d of %d sampled%n", perBuilding * 1000, places.pharmacies().size(),
                    oneToOneSeconds, agree, sampled.size());
            System.out.printf(Locale.ROOT, "SUMMARY buildings=%d pharmacies=%d multi-source=%.3fs one-to-one(extrapolated)=%.3fs ratio=%.1fx%n",
                    all.results().size(), places.pharmacies().size(), searchSeconds, oneToOneSeconds,
                    oneToOneSeconds / searchSeconds);
        }
    }
}
