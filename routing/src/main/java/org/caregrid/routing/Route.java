package org.caregrid.routing;

import org.locationtech.jts.geom.LineString;

import java.util.List;

/**
 * A route through the requested points in order.
 *
 * @param geometry       the road geometry, x = longitude, y = latitude (WGS84)
 * @param weight         GraphHopper's route weight (what the profile minimises)
 * @param instructions   turn-by-turn instructions in the requested language
 */
public record Route(LineString geometry, double distanceMeters, long timeMillis, double weight,
                    List<TurnInstruction> instructions) {
    public Route {
        instructions = List.copyOf(instructions);
    }

    /**
     * @param sign       GraphHopper's turn sign (-3 sharp left … 0 straight … 3 sharp right, 4 finish, 5 via point)
     * @param text       the translated description, e.g. "左转 进入 Avenue de la Costa"
     * @param pointIndex index into the route geometry where the instruction applies
     */
    public record TurnInstruction(int sign, String text, String streetName, double distanceMeters, long timeMillis,
                                  int pointIndex) {
    }
}
