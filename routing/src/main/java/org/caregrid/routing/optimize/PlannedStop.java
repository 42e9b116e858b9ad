package org.caregrid.routing.optimize;

/**
 * One stop of a planned route.
 *
 * @param requestId  the delivery request or visit served here (null at START / END)
 * @param pharmacyId the pharmacy of a PICKUP stop, else null
 * @param arrival    earliest time, in seconds, at which service here can start in this plan (after any wait for
 *                   the window to open); at START the latest departure, at END the earliest return
 * @param load       units on board when leaving the stop
 */
public record PlannedStop(StopKind kind, String requestId, String pharmacyId, int location, long arrival, long load) {
}
