package org.caregrid.routing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared test data (../shared/data from the project root) and the Monaco network built once per run. */
public final class SharedData {
    private static RoadNetwork monaco;
    private static boolean scratchCleared;

    private SharedData() {
    }

    public static Path dataDir() {
        String configured = System.getProperty("caregrid.shared.data");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // Run from the module folder (routing/) or from the project root.
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isRegularFile(cwd.resolve("mvnw")) ? cwd : cwd.getParent();
        return root.resolve("../shared/data").toAbsolutePath().normalize();
    }

    /** The path of a shared file; fails naming the path when it is missing. */
    public static Path file(String relative) {
        Path path = dataDir().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("shared test data missing: " + path
                    + " (set -Dcaregrid.shared.data or put the shared data at ../shared/data)");
        }
        return path;
    }

    public static Path graphCache() {
        return Path.of("target", "graphs").toAbsolutePath();
    }

    /** A fresh folder under target/ for graphs a test builds on its own (never the system temp folder). */
    public static synchronized Path scratchFolder() throws java.io.IOException {
        Path base = Path.of("target", "test-graphs").toAbsolutePath();
        if (!scratchCleared) {
            // Once per run: drop the previous run's folders so they do not pile up.
            if (Files.exists(base)) {
                try (java.util.stream.Stream<Path> walk = Files.walk(base)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            scratchCleared = true;
        }
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "case-");
    }

    public static synchronized RoadNetwork monaco() {
        if (monaco == null) {
            monaco = RoadNetwork.open(file("osm/monaco.osm.gz"), graphCache());
        }
        return monaco;
    }
}
