package org.caregrid.importer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Wall time per phase of an import, in the order the phases ran: {@link #mark(String)} books the time since the
 * previous mark to the named phase (a phase marked twice adds up). The import benchmark prints them so that its
 * comparison with osm2pgsql can say where the time goes. {@link #NONE} keeps nothing.
 */
public class ImportPhases {

    /** Keeps nothing: the default for imports nobody times. */
    public static final ImportPhases NONE = new ImportPhases() {
        @Override
        public void mark(String phase) {
        }

        @Override
        public void restart() {
        }
    };

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Starts the clock again without booking the time since the last mark (e.g. time spent elsewhere). */
    public void restart() {
        last = System.nanoTime();
    }

    public void mark(String phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - last, Long::sum);
        last = now;
    }

    /** Milliseconds per phase, in the order the phases first ran. */
    public Map<String, Double> millis() {
        return nanos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1e6,
                (a, b) -> a, LinkedHashMap::new));
    }

    public double totalMillis() {
        return nanos.values().stream().mapToLong(Long::longValue).sum() / 1e6;
    }
}
