package org.caregrid.server.routing;

import org.caregrid.server.web.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.config.CaregridProperties;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LineString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The road network of the server. It is opened in a background thread once the server is up, so
 * that everything else is served while a graph builds (minutes for a city); until then, and when
 * there is no road file at all, routing calls answer 503 with the reason.
 */
@Service
public class RoutingService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);

    public enum State { NO_ROAD_NETWORK, BUILDING, READY, FAILED }

    private final CaregridProperties caregrid;
    private final RoutingProperties properties;
    private final List<Consumer<RoadNetwork>> readyListeners = new CopyOnWriteArrayList<>();
    private volatile State state = State.NO_ROAD_NETWORK;
    private volatile RoadNetwork network;
    private volatile Path osmFile;
    private volatile String failure;
    private volatile boolean closed;
    private Thread builder;

    RoutingService(CaregridProperties caregrid, RoutingProperties properties) {
        this.caregrid = caregrid;
        this.properties = properties;
    }

    /** Called with the network once it is ready (nearest-facility refresh). */
    public void onReady(Consumer<RoadNetwork> listener) {
        readyListeners.add(listener);
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        // one-off commands (set-password) end at once: no graph for them
        if (builder != null || "admin".equals(caregrid.mode())) {
            return;
        }
        Optional<Path> file = roadFile();
        if (file.isEmpty()) {
            log.info("No road network: set caregrid.routing.osm-file or put an OSM file in {}", roadsFolder());
            return;
        }
        osmFile = file.get();
        state = State.BUILDING;
        builder = new Thread(this::open, "road-network");
        builder.setDaemon(true);
        builder.start();
    }

    private void open() {
        try {
            log.info("Opening the road network {} (graphs in {})", osmFile, graphsFolder());
            RoadNetwork opened = RoadNetwork.open(osmFile, graphsFolder(), EnumSet.allOf(TravelMode.class),
                    properties.maxSnapMeters());
            synchronized (this) {
                if (closed) {
                    opened.close();
                    return;
                }
                network = opened;
                state = State.READY;
            }
            log.info("Road network ready: {}", opened.graphFolder());
            for (Consumer<RoadNetwork> listener : readyListeners) {
                try {
                    listener.accept(opened);
                } catch (RuntimeException e) {
                    log.warn("After the road network became ready: {}", e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            failure = e.getMessage();
            state = State.FAILED;
            log.error("The road network {} could not be opened: {}", osmFile, e.getMessage(), e);
        }
    }

    /** The configured file, else the newest road file in {@code <home>/roads/}. */
    Optional<Path> roadFile() {
        if (properties.osmFile() != null) {
            return Optional.of(properties.osmFile());
        }
        Path roads = roadsFolder();
        if (!Files.isDirectory(roads)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(roads)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".osm") || name.endsWith(".osm.gz") || name.endsWith(".pbf");
                    })
                    .max(Comparator.comparing(RoutingService::modified));
        } catch (IOException e) {
            log.warn("Cannot list {}: {}", roads, e.getMessage());
            return Optional.empty();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private Path roadsFolder() {
        return caregrid.home().resolve("roads");
    }

    private Path graphsFolder() {
        return caregrid.home().resolve("graphs");
    }

    public State state() {
        return state;
    }

    public Optional<Path> osmFile() {
        return Optional.ofNullable(osmFile);
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public Optional<RoadNetwork> network() {
        return Optional.ofNullable(network);
    }

    /** A stable name of the graph the results came from (its folder: the file's checksum and modes). */
    public String graphKey() {
        RoadNetwork n = require();
        return n.graphFolder().getFileName().toString();
    }

    /** The network, or a 503 that says why there is none. */
    public RoadNetwork require() {
        RoadNetwork n = network;
        if (n != null) {
            return n;
        }
        throw switch (state) {
            case NO_ROAD_NETWORK -> ApiException.unavailable("error.routing.noNetwork", roadsFolder());
            case BUILDING -> ApiException.unavailable("error.routing.building", osmFile);
            case FAILED -> ApiException.unavailable("error.routing.failed", osmFile, failure);
            case READY -> ApiException.unavailable("error.routing.unavailable");
        };
    }

    /** A line's points as [lon, lat] pairs (GeoJSON order), for JSON answers. */
    public static List<double[]> coordinates(LineString line) {
        List<double[]> out = new ArrayList<>(line.getNumPoints());
        for (Coordinate c : line.getCoordinates()) {
            out.add(new double[] {c.x, c.y});
        }
        return out;
    }

    @Override
    public synchronized void destroy() {
        closed = true;
        if (network != null) {
            network.close();
            network = null;
        }
    }
}
