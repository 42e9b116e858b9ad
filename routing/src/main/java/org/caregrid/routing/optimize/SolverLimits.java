package org.caregrid.routing.optimize;

import java.time.Duration;

/** How long the optimiser may search; it returns the best plan found by then. */
public record SolverLimits(Duration timeLimit) {
    public static SolverLimits seconds(long seconds) {
        return new SolverLimits(Duration.ofSeconds(seconds));
    }
}
