package org.caregrid.importer;

/** A household (户): a room/door number in a unit of a building. */
public record Household(String buildingExternalId, String unitNumber, String room, int members) {
}
