package org.caregrid.importer;

import java.util.List;

import org.locationtech.jts.geom.Point;

/**
 * A facility. {@code openingHours} uses OSM opening_hours syntax (e.g. "Mo-Su 08:00-22:00"), or null.
 * {@code specialities} are OSM healthcare:speciality values (lower case, e.g. obstetrics, paediatrics) and
 * {@code emergency} is OSM emergency=yes: what the emergency transfer (急诊转运) chooses a hospital by.
 */
public record Facility(String externalId, FacilityKind kind, String name, String openingHours, Point location,
                       List<String> specialities, boolean emergency) {

    public Facility {
        specialities = specialities == null ? List.of() : List.copyOf(specialities);
    }

    /** A facility without specialities that takes no emergencies. */
    public Facility(String externalId, FacilityKind kind, String name, String openingHours, Point location) {
        this(externalId, kind, name, openingHours, location, List.of(), false);
    }
}
