package org.caregrid.server.assignment;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.caregrid.importer.AssignmentRole;

/**
 * The kinds of place each role (the vocabulary's {@link AssignmentRole}) may be given for, as the
 * schema's role_assignment checks say: a building head for a building, 包保 for a key person, and so on.
 */
final class AssignmentPlaces {

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

    private static final Map<AssignmentRole, Set<Place>> PLACES = Map.of(
            AssignmentRole.GRID_WORKER, EnumSet.of(Place.GRID),
            AssignmentRole.COMMUNITY_WORKER, EnumSet.of(Place.AREA, Place.GRID),
            AssignmentRole.PROPERTY_STAFF, EnumSet.of(Place.COMPOUND, Place.BUILDING),
            AssignmentRole.BUILDING_HEAD, EnumSet.of(Place.BUILDING),
            AssignmentRole.UNIT_HEAD, EnumSet.of(Place.UNIT),
            AssignmentRole.DELIVERY_SQUAD, EnumSet.of(Place.AREA, Place.GRID),
            AssignmentRole.RESERVE, EnumSet.of(Place.AREA, Place.GRID),
            AssignmentRole.RESPONSIBLE, EnumSet.of(Place.PERSON));

    private AssignmentPlaces() {
    }

    static Set<Place> of(AssignmentRole role) {
        return PLACES.get(role);
    }

    static AssignmentRole parse(String code) {
        return Arrays.stream(AssignmentRole.values()).filter(r -> r.code().equals(code)).findFirst().orElse(null);
    }

    static String codes() {
        return String.join(", ", Arrays.stream(AssignmentRole.values()).map(AssignmentRole::code).toList());
    }
}
