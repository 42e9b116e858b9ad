package org.caregrid.importer.demo;

/** Totals of a demo population, counted by streaming it once. */
public record PopulationCounts(long households, long persons, long keyPersons, long buildingHeads, long unitHeads,
                               long volunteers, long medicineSquadVolunteers, long reserveVolunteers, long visits,
                               long overdueKeyPersons, long pendingDeliveryRequests) {
}
