package org.caregrid.routing.optimize;

/** A pickup point (药店, 诊所, 卫生服务中心). {@code serviceSeconds}: time to collect one order there. */
public record Pharmacy(String id, int location, TimeWindow openingHours, long serviceSeconds) {
}
