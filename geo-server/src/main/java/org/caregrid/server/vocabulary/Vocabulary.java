package org.caregrid.server.vocabulary;

import java.util.Arrays;
import java.util.List;

import org.caregrid.importer.AssignmentRole;
import org.caregrid.importer.Coded;
import org.caregrid.importer.FacilityKind;
import org.caregrid.importer.KeyCategory;
import org.caregrid.importer.Need;
import org.caregrid.importer.RiskLevel;
import org.caregrid.importer.TravelMode;
import org.caregrid.importer.VisitMethod;
import org.caregrid.importer.VolunteerTeam;
import org.caregrid.server.security.Role;
import org.caregrid.server.web.ApiException;

/**
 * Every domain list the API and the map speak, each backed by one enum and checked by one column
 * of the schema. Labels are in the {@code vocabulary*.properties} bundle under {@code <key>.<code>}.
 */
public enum Vocabulary {
    NEEDS("needs", Need.class, "key_person", "needs"),
    CATEGORIES("categories", KeyCategory.class, "key_person", "categories"),
    RISK_LEVELS("riskLevels", RiskLevel.class, "key_person", "risk_level"),
    VISIT_METHODS("visitMethods", VisitMethod.class, "visit", "method"),
    FACILITY_KINDS("facilityKinds", FacilityKind.class, "facility", "kind"),
    TEAMS("teams", VolunteerTeam.class, "volunteer", "teams"),
    TRAVEL_MODES("travelModes", TravelMode.class, "volunteer", "travel_mode"),
    RESERVE_TIERS("reserveTiers", ReserveTier.class, "volunteer", "reserve_tier"),
    ASSIGNMENT_ROLES("assignmentRoles", AssignmentRole.class, "role_assignment", "role"),
    USER_ROLES("userRoles", Role.class, "app_user", "roles"),
    DELIVERY_URGENCIES("deliveryUrgencies", DeliveryUrgency.class, "delivery_request", "urgency"),
    DELIVERY_STATUSES("deliveryStatuses", DeliveryStatus.class, "delivery_request", "status"),
    CLOSING_REASONS("closingReasons", ClosingReason.class, "person", "closed_reason"),
    NEED_STATUSES("needStatuses", NeedStatus.class, "need", "status"),
    SUPPLY_PROVIDERS("supplyProviders", SupplyProvider.class, "supply", "provider_kind"),
    CALLOUT_STATUSES("calloutStatuses", CalloutStatus.class, "callout", "status");

    private final String key;
    private final Class<? extends Coded> type;
    private final String table;
    private final String column;

    Vocabulary(String key, Class<? extends Coded> type, String table, String column) {
        this.key = key;
        this.type = type;
        this.table = table;
        this.column = column;
    }

    /** The property name in {@code GET /api/vocabulary} and the prefix of the labels' message keys. */
    public String key() {
        return key;
    }

    /** The codes in the enum's (and the schema's) order. */
    public List<String> codes() {
        return Arrays.stream(type.getEnumConstants()).map(Coded::code).toList();
    }

    /** Adds a fault naming the known codes when {@code value} (if given) is not one of them. */
    public void check(String field, String value, List<ApiException.FieldFault> faults) {
        if (value != null && !codes().contains(value)) {
            faults.add(new ApiException.FieldFault(field, "error.code", value, String.join(", ", codes())));
        }
    }

    /** As {@link #check} for each element of a list (if given), naming the element, e.g. {@code teams[1]}. */
    public void checkEach(String field, List<String> values, List<ApiException.FieldFault> faults) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !codes().contains(values.get(i))) {
                faults.add(new ApiException.FieldFault(field + "[" + i + "]", "error.code", String.valueOf(values.get(i)),
                        String.join(", ", codes())));
            }
        }
    }

    public String messageKey(String code) {
        return key + "." + code;
    }

    /** The table whose check constraint lists the codes. */
    public String table() {
        return table;
    }

    public String column() {
        return column;
    }
}
