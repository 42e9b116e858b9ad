package org.caregrid.server.assignment;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The roles a person can be given for a place (the schema's role_assignment.role), and the kinds of
 * place each may be given for: a building head for a building, 包保 for a key person, and so on.
 */
enum AssignmentRole {
    GRID_WORKER(EnumSet.of(Place.GRID)),
    COMMUNITY_WORKER(EnumSet.of(Place.AREA, Place.GRID)),
    PROPERTY_STAFF(EnumSet.of(Place.COMPOUND, Place.BUILDING)),
    BUILDING_HEAD(EnumSet.of(Place.BUILDING)),
    UNIT_HEAD(EnumSet.of(Place.UNIT)),
    DELIVERY_SQUAD(EnumSet.of(Place.AREA, Place.GRID)),
    RESERVE(EnumSet.of(Place.AREA, Place.GRID)),
    RESPONSIBLE(EnumSet.of(Place.PERSON));

    /** The kind of place an assignment is for: the schema's scope_type, and the request field that names it. */
    enum Place {
        AREA("area", "areaCode"), GRID("grid", "gridId"), COMPOUND("compound", "compoundId"),
        BUILDING("building", "buildingId"), UNIT("unit", "unitId"), PERSON("person", "keyPersonId");

        final String scopeType;
        final String field;

        Place(String scopeType, String field) {
            this.scopeType = scopeType;
            this.field = field;
        }
    }

    final Set<Place> places;

    AssignmentRole(Set<Place> places) {
        this.places = places;
    }

    String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static AssignmentRole parse(String code) {
        return Arrays.stream(values()).filter(r -> r.code().equals(code)).findFirst().orElse(null);
    }

    static String codes() {
        return String.join(", ", Arrays.stream(values()).map(AssignmentRole::code).toList());
    }
}
