package org.caregrid.routing;

import java.util.List;
import java.util.Optional;

/**
 * For every person, the nearest facility by network travel (weight of the mode), found in one search.
 *
 * @param results             one entry per snapped person, in input order
 * @param unsnappedPeople     people whose home could not be attached to the road network
 * @param unsnappedFacilities facilities that could not be attached (they take part in no result)
 * @param phases              where the call's time went (for benchmarks and logs)
 */
public record NearestFacilities(TravelMode mode, Direction direction, List<Nearest> results,
                                List<Unsnapped> unsnappedPeople, List<Unsnapped> unsnappedFacilities, Phases phases) {
    public NearestFacilities {
        results = List.copyOf(results);
        unsnappedPeople = List.copyOf(unsnappedPeople);
        unsnappedFacilities = List.copyOf(unsnappedFacilities);
    }

    /** Nanoseconds spent snapping places, building the query graph, searching, and making the results. */
    public record Phases(long snapNanos, long queryGraphNanos, long searchNanos, long resultsNanos) {
        public long totalNanos() {
            return snapNanos + queryGraphNanos + searchNanos + resultsNanos;
        }
    }

    /** Which way the trip goes; they differ on one-way streets. */
    public enum Direction {
        /** The person travels to the facility (walk to the pharmacy). */
        PERSON_TO_FACILITY,
        /** Someone travels from the facility to the person (delivery, emergency transfer). */
        FACILITY_TO_PERSON
    }

    /**
     * @param facilityId empty when no facility can be reached from/to this person
     */
    public record Nearest(String personId, Optional<String> facilityId, double distanceMeters, long timeMillis) {
        public boolean reachable() {
            return facilityId.isPresent();
        }
    }
}
