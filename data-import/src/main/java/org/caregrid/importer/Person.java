package org.caregrid.importer;

import java.time.LocalDate;
import org.locationtech.jts.geom.Point;

/**
 * A resident. The home is either an address (building reference = building external id, code or name; unit; room)
 * that the server matches to a building, or a point; when both are given the address wins and the point is a hint.
 * {@code synthetic} marks generated people so they can never be mistaken for real ones.
 */
public record Person(String externalId, String name, Gender gender, LocalDate birthDate, String phone,
                     String idNumber, String buildingRef, String unit, String room, Point location,
                     boolean synthetic) {

    public enum Gender { MALE, FEMALE, UNKNOWN }
}
