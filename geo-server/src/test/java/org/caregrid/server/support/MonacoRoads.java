package org.caregrid.server.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.caregrid.server.routing.RoutingService;

/** The real Monaco road file from the shared data folder, for tests that route. */
public final class MonacoRoads {

    private MonacoRoads() {
    }

    public static Path osmFile() {
        String shared = System.getProperty("caregrid.shared.data");
        if (shared == null) {
            throw new IllegalStateException("System property caregrid.shared.data is not set (surefire sets it)");
        }
        Path file = Path.of(shared, "osm", "monaco.osm.gz");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Routing tests need the Monaco road file " + file.toAbsolutePath());
        }
        return file;
    }

    /**
     * A test class's own database and data folder (named {@code name}) with the Monaco road file as its
     * network: the set-up every routing test class repeats.
     */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry, String name) {
        TestDatabase.register(registry, name);
        registry.add("caregrid.home", () -> "target/test-home-" + name.replace('_', '-'));
        registry.add("caregrid.routing.osm-file", () -> osmFile().toString());
    }

    /** Waits for the background graph build (seconds for Monaco; the first run builds under target/). */
    public static void awaitReady(RoutingService routing) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (routing.state() != RoutingService.State.READY) {
            if (routing.state() == RoutingService.State.FAILED) {
                throw new IllegalStateException("The road network failed: " + routing.failure().orElse(""));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The road network is still " + routing.state() + " after 5 minutes");
            }
            Thread.sleep(100);
        }
    }
}
