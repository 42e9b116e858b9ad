package org.caregrid.importer;

import java.util.List;

/**
 * What an OSM extract yields for caregrid. External ids are OSM's ("osm:way/123", "osm:relation/7", "osm:node/9"),
 * so a re-import upserts. {@code units} are the entrances ({@code entrance=*} nodes): their building is the one
 * whose outline holds the node, or null when the node is not on an outline. {@code skipped} counts the features
 * (ways, relations) that could not be built; each has a WARNING in {@code errors} naming it.
 */
public record OsmData(List<Building> buildings, List<Compound> compounds, List<Unit> units,
                      List<Facility> facilities, List<ImportError> errors, long nodes, long ways, long relations, int skipped) {

    public OsmData {
        buildings = List.copyOf(buildings);
        compounds = List.copyOf(compounds);
        units = List.copyOf(units);
        facilities = List.copyOf(facilities);
        errors = List.copyOf(errors);
    }

    public boolean isFatal() {
        return errors.stream().anyMatch(e -> e.severity() == ImportError.Severity.FATAL);
    }

    public long warnings() {
        return errors.stream().filter(e -> e.severity() == ImportError.Severity.WARNING).count();
    }
}
