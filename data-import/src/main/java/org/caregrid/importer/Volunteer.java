package org.caregrid.importer;

import java.util.Set;
import org.locationtech.jts.geom.Point;

/**
 * A registered volunteer. {@code personExternalId} links to the resident record when the volunteer lives in the
 * area (null otherwise); {@code capacity} is how many tasks (e.g. deliveries) a day they take; {@code reserve} marks
 * the reserve force (机动力量).
 */
public record Volunteer(String externalId, String personExternalId, String name, String phone, Set<String> skills,
                        Set<VolunteerTeam> teams, TravelMode travelMode, int capacity, Availability availability,
                        Point home, boolean reserve) {

    public Volunteer {
        skills = Set.copyOf(skills);
        teams = Set.copyOf(teams);
    }
}
