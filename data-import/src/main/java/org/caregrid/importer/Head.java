package org.caregrid.importer;

/**
 * A building head (楼栋长, {@code unitNumber} null) or unit head (单元长) and the resident who serves as one.
 */
public record Head(AssignmentRole role, String buildingExternalId, String unitNumber, String personExternalId) {
}
