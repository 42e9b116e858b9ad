package org.caregrid.routing;

import com.graphhopper.storage.NodeAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Reproducible random places near Monaco's roads: a random graph node moved by up to ~30 m. */
final class MonacoPlaces {
    private MonacoPlaces() {
    }

    static List<Place> random(String prefix, int count, long seed) {
        RoadNetwork network = SharedData.monaco();
        NodeAccess nodes = network.hopper().getBaseGraph().getNodeAccess();
        int nodeCount = network.hopper().getBaseGraph().getNodes();
        Random random = new Random(seed);
        List<Place> places = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int node = random.nextInt(nodeCount);
            double lat = nodes.getLat(node) + (random.nextDouble() - 0.5) * 0.0005;
            double lon = nodes.getLon(node) + (random.nextDouble() - 0.5) * 0.0005;
            places.add(new Place(prefix + i, lat, lon));
        }
        return places;
    }
}
