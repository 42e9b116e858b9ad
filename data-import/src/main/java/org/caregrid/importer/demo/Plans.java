package org.caregrid.importer.demo;

import java.util.ArrayList;
import java.util.List;
import org.caregrid.importer.Building;
import org.caregrid.importer.Compound;
import org.caregrid.importer.Unit;

/** The generator's layout, in local metres, kept so the population and road network can be derived later. */
final class Plans {

    private Plans() {
    }

    static final class BuildingPlan {
        final int index;
        final int gridIndex;
        final String communityCode;
        final boolean highRise;
        final int floors;
        final int unitCount;
        final int householdsPerFloor;
        /** Entrance x positions (one per unit) on the front façade at {@link #entranceY}. */
        final double[] entranceX;
        final double entranceY;
        /** The compound path in front of the building's row. */
        final double rowPathY;
        Building building;
        List<Unit> units = new ArrayList<>();
        /** Imported buildings: the household count, which need not fill every floor of every unit. */
        int maxHouseholds = Integer.MAX_VALUE;

        BuildingPlan(int index, int gridIndex, String communityCode, boolean highRise, int floors, int unitCount,
                     int householdsPerFloor, double[] entranceX, double entranceY, double rowPathY) {
            this.index = index;
            this.gridIndex = gridIndex;
            this.communityCode = communityCode;
            this.highRise = highRise;
            this.floors = floors;
            this.unitCount = unitCount;
            this.householdsPerFloor = householdsPerFloor;
            this.entranceX = entranceX;
            this.entranceY = entranceY;
            this.rowPathY = rowPathY;
        }

        int households() {
            return floors * unitCount * householdsPerFloor;
        }
    }

    static final class CompoundPlan {
        final Compound compound;
        /** The service road from the gate runs north at this x. */
        final double spineX;
        /** Where the spine meets the street (the street's centre line) and the gate on the compound fence. */
        final double streetY;
        final double gateY;
        final List<BuildingPlan> buildings = new ArrayList<>();

        CompoundPlan(Compound compound, double spineX, double streetY, double gateY) {
            this.compound = compound;
            this.spineX = spineX;
            this.streetY = streetY;
            this.gateY = gateY;
        }
    }
}
