package org.caregrid.importer.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.caregrid.importer.Building;
import org.caregrid.importer.Geometries;
import org.caregrid.importer.Unit;
import org.caregrid.importer.demo.Plans.BuildingPlan;

/**
 * Fills imported buildings (e.g. from OSM) with synthetic residents, key persons, heads, volunteers, visits and
 * requests for trials, the same way the demo district is filled. Person ids are "synthetic:p:<building id>-n" and
 * every person is marked synthetic. Buildings without a household count (or with 0) stay empty.
 */
public final class SyntheticPopulation {

    private SyntheticPopulation() {
    }

    /**
     * @param units the buildings' units (entrances); a building without any gets one unit "1" at its entrance or
     *              interior point
     */
    public static void populate(long seed, List<Building> buildings, Collection<Unit> units, LocalDate today,
                                PopulationVisitor visitor) {
        Map<String, List<Unit>> unitsByBuilding = new HashMap<>();
        for (Unit unit : units) {
            if (unit.buildingExternalId() != null) {
                unitsByBuilding.computeIfAbsent(unit.buildingExternalId(), k -> new ArrayList<>()).add(unit);
            }
        }
        Populator populator = new Populator(seed, today);
        for (int i = 0; i < buildings.size(); i++) {
            Building building = buildings.get(i);
            Integer households = building.households();
            if (households == null || households <= 0) {
                continue;
            }
            List<Unit> buildingUnits = unitsByBuilding.getOrDefault(building.externalId(), List.of());
            if (buildingUnits.isEmpty()) {
                var entrance = building.entrance() != null ? building.entrance()
                        : Geometries.point(building.footprint().getInteriorPoint().getX(),
                        building.footprint().getInteriorPoint().getY());
                buildingUnits = List.of(new Unit(building.externalId(), "1", households, entrance));
            }
            int floors = building.floors() != null && building.floors() > 0 ? building.floors()
                    : Math.max(1, Math.min(6, households / (2 * buildingUnits.size())));
            int perFloor = (int) Math.ceil(households / (double) (floors * buildingUnits.size()));
            BuildingPlan plan = new BuildingPlan(i, -1, null, floors > 11, floors, buildingUnits.size(), perFloor,
                    new double[0], 0, 0);
            plan.building = building;
            plan.units = buildingUnits;
            plan.maxHouseholds = households;
            populator.populate(plan, visitor);
        }
    }
}
