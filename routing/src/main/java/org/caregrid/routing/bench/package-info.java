/**
 * Benchmark programs that print figures (last line {@code SUMMARY ...}): {@link org.caregrid.routing.bench.MatrixBench},
 * {@link org.caregrid.routing.bench.VrpBench}, {@link org.caregrid.routing.bench.NearestBench}, and readers for the
 * CVRPLIB and Solomon instance formats.
 */
package org.caregrid.routing.bench;
