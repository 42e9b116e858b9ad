package org.caregrid.routing.optimize;

/** A request (or visit) left out of the plan, and why. */
public record UnservedRequest(String requestId, Reason reason, String detail) {
    public enum Reason {
        /** Its demand is larger than any volunteer's capacity (or every volunteer has no stops left). */
        NO_VOLUNTEER_WITH_CAPACITY,
        /** No volunteer can be at the door inside its window and still be back within the shift. */
        TIME_WINDOW_IMPOSSIBLE,
        /** No volunteer's network connects start, pharmacy, household and end. */
        UNREACHABLE,
        /** Feasible alone, but the solver left it out (capacity, time or stops used up by others). */
        NOT_ASSIGNED_BY_SOLVER
    }
}
