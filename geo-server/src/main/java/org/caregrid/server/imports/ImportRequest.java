package org.caregrid.server.imports;

import java.nio.file.Path;

/**
 * What to import: {@code type} is a data-import record kind ("buildings", "persons", ...) or "osm"; {@code crs}
 * (e.g. "EPSG:4547", "GCJ-02") is needed where the file does not say; {@code mapping} an optional field-mapping
 * file; {@code source} the name rows are keyed by for re-imports (the file name when null).
 *
 * <p>For a roster ("assignments"): {@code dryRun} plans and writes nothing; {@code endUnlisted} ends the
 * appointments of the roster's scope that it no longer lists; {@code scopeLabel} names the caller's area in errors.
 * A visit ledger ("visits") takes {@code dryRun} and {@code scopeLabel} too.
 */
public record ImportRequest(String type, String crs, Path mapping, String source, boolean dryRun, boolean endUnlisted,
                            String scopeLabel) {

    public static final String OSM = "osm";

    public ImportRequest(String type, String crs, Path mapping, String source) {
        this(type, crs, mapping, source, false, false, null);
    }

    public boolean osm() {
        return OSM.equalsIgnoreCase(type);
    }
}
