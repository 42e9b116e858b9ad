package org.caregrid.server.coverage;

import java.time.Instant;
import java.util.List;

/**
 * A metric for an area and the places one level down.
 *
 * @param source     how values were measured: "count", "network", "straight-line estimate" or "mixed"
 * @param computedAt the oldest precomputed value behind the figures (nearest facility), or null
 */
public record MetricSummary(String id, String name, String itemKind, String itemTarget, double target,
                            Figures area, List<Figures> children, String source, Instant computedAt) {
}
