package org.caregrid.routing;

import java.util.List;

/**
 * Network distances and times from every source to every target, in the order given.
 * An unreachable pair (or a row/column of an unsnapped place) has distance NaN, time -1 and weight +Infinity.
 *
 * @param weights GraphHopper's route weights (what the profile minimises); equal to its one-to-one routes
 */
public record TravelMatrix(TravelMode mode, List<String> sourceIds, List<String> targetIds,
                           double[][] distanceMeters, long[][] timeMillis, double[][] weights,
                           List<Unsnapped> unsnapped) {
    public static final long UNREACHABLE_TIME = -1;

    public TravelMatrix {
        sourceIds = List.copyOf(sourceIds);
        targetIds = List.copyOf(targetIds);
        unsnapped = List.copyOf(unsnapped);
    }

    public boolean reachable(int source, int target) {
        return timeMillis[source][target] != UNREACHABLE_TIME;
    }

    /** Number of source-target pairs with no route (unsnapped places included). */
    public int unreachableCount() {
        int count = 0;
        for (int i = 0; i < sourceIds.size(); i++) {
            for (int j = 0; j < targetIds.size(); j++) {
                if (!reachable(i, j)) {
                    count++;
                }
            }
        }
        return count;
    }
}
