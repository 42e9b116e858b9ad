package org.caregrid.routing.optimize;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * How long the optimiser may search; it returns the best plan found by then.
 *
 * @param timeLimit     wall-clock budget
 * @param seed          random seed of the search (solvers that use one)
 * @param maxIterations stop after this many iterations of the search as well; 0 = only the time limit. With a
 *                      seed and an iteration limit that is reached first, the hybrid genetic search gives the same
 *                      plan on every run, whatever the machine's load
 * @param threads       how many cores the search may use (1 = the calling thread only)
 * @param cancellation  polled during the search: when it answers true, the best plan so far is returned
 */
public record SolverLimits(Duration timeLimit, long seed, long maxIterations, int threads,
                           BooleanSupplier cancellation) {
    public SolverLimits {
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(cancellation, "cancellation");
        if (maxIterations < 0 || threads < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 0 and threads >= 1");
        }
    }

    public SolverLimits(Duration timeLimit) {
        this(timeLimit, 1, 0, 1, () -> false);
    }

    public static SolverLimits seconds(long seconds) {
        return new SolverLimits(Duration.ofSeconds(seconds));
    }

    public SolverLimits withSeed(long newSeed) {
        return new SolverLimits(timeLimit, newSeed, maxIterations, threads, cancellation);
    }

    public SolverLimits withMaxIterations(long iterations) {
        return new SolverLimits(timeLimit, seed, iterations, threads, cancellation);
    }

    public SolverLimits withThreads(int count) {
        return new SolverLimits(timeLimit, seed, maxIterations, count, cancellation);
    }

    public SolverLimits withCancellation(BooleanSupplier cancelled) {
        return new SolverLimits(timeLimit, seed, maxIterations, threads, cancelled);
    }
}
