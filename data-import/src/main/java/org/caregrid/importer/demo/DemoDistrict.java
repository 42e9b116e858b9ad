package org.caregrid.importer.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.caregrid.importer.AdminArea;
import org.caregrid.importer.AssignmentRole;
import org.caregrid.importer.Building;
import org.caregrid.importer.Compound;
import org.caregrid.importer.DeliveryRequest;
import org.caregrid.importer.Facility;
import org.caregrid.importer.Grid;
import org.caregrid.importer.Head;
import org.caregrid.importer.Household;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.MicroOrganisation;
import org.caregrid.importer.Person;
import org.caregrid.importer.Unit;
import org.caregrid.importer.Visit;
import org.caregrid.importer.Volunteer;
import org.caregrid.importer.VolunteerTeam;
import org.caregrid.importer.demo.Plans.BuildingPlan;
import org.caregrid.importer.demo.Plans.CompoundPlan;

/**
 * A generated district. Places (areas, grids, compounds, buildings, units, facilities, micro-organisations) are
 * held as lists; people are streamed with {@link #visitPopulation(PopulationVisitor)}, regenerated on each call
 * (identically), so the benchmark scale never holds a million persons. All records are marked synthetic
 * (source "demo", external ids "demo:...").
 */
public final class DemoDistrict {

    private final long seed;
    private final int targetResidents;
    private final LocalDate referenceDate;
    private final LocalProjection projection;
    private final List<AdminArea> adminAreas;
    private final List<Grid> grids;
    private final List<CompoundPlan> compoundPlans;
    private final List<BuildingPlan> buildingPlans;
    private final List<Facility> facilities;
    private final List<MicroOrganisation> microOrganisations;
    private final List<String> gridCodes;
    private final int columns;
    private final int rows;

    DemoDistrict(long seed, int targetResidents, LocalDate referenceDate, LocalProjection projection,
                 List<AdminArea> adminAreas, List<Grid> grids, List<CompoundPlan> compoundPlans,
                 List<BuildingPlan> buildingPlans, List<Facility> facilities,
                 List<MicroOrganisation> microOrganisations, List<String> gridCodes, int columns, int rows) {
        this.seed = seed;
        this.targetResidents = targetResidents;
        this.referenceDate = referenceDate;
        this.projection = projection;
        this.adminAreas = List.copyOf(adminAreas);
        this.grids = List.copyOf(grids);
        this.compoundPlans = List.copyOf(compoundPlans);
        this.buildingPlans = List.copyOf(buildingPlans);
        this.facilities = List.copyOf(facilities);
        this.microOrganisations = List.copyOf(microOrganisations);
        this.gridCodes = List.copyOf(gridCodes);
        this.columns = columns;
        this.rows = rows;
    }

    public long seed() {
        return seed;
    }

    public int targetResidents() {
        return targetResidents;
    }

    /** The "today" of the visit history and the pending requests. */
    public LocalDate referenceDate() {
        return referenceDate;
    }

    /** City, district, streets and communities, sorted by code. */
    public List<AdminArea> adminAreas() {
        return adminAreas;
    }

    public List<Grid> grids() {
        return grids;
    }

    public List<Compound> compounds() {
        return compoundPlans.stream().map(c -> c.compound).toList();
    }

    public List<Building> buildings() {
        return buildingPlans.stream().map(b -> b.building).toList();
    }

    public List<Unit> units() {
        List<Unit> units = new ArrayList<>();
        for (BuildingPlan plan : buildingPlans) {
            units.addAll(plan.units);
        }
        return units;
    }

    public List<Facility> facilities() {
        return facilities;
    }

    public List<MicroOrganisation> microOrganisations() {
        return microOrganisations;
    }

    /** The code of the grid a building stands in. */
    public String gridCodeOf(Building building) {
        String id = building.externalId();
        if (!id.startsWith("demo:b:")) {
            throw new IllegalArgumentException("not a building of this district: " + id);
        }
        BuildingPlan plan = buildingPlans.get(Integer.parseInt(id.substring("demo:b:".length())) - 1);
        return gridCodes.get(plan.gridIndex);
    }

    /** Streams households, persons, heads, key persons, volunteers, visits and pending requests, building by building. */
    public void visitPopulation(PopulationVisitor visitor) {
        Populator populator = new Populator(seed, referenceDate);
        for (BuildingPlan plan : buildingPlans) {
            populator.populate(plan, visitor);
        }
    }

    /** Counts the population by streaming it once. */
    public PopulationCounts countPopulation() {
        long[] c = new long[11];
        java.util.Map<String, LocalDate> lastVisit = new java.util.HashMap<>();
        java.util.Map<String, Integer> interval = new java.util.HashMap<>();
        visitPopulation(new PopulationVisitor() {
            @Override
            public void household(Household household) {
                c[0]++;
            }

            @Override
            public void person(Person person) {
                c[1]++;
            }

            @Override
            public void keyPerson(KeyPersonProfile profile) {
                c[2]++;
                interval.put(profile.personExternalId(), profile.riskLevel().visitIntervalDays());
            }

            @Override
            public void head(Head head) {
                c[head.role() == AssignmentRole.BUILDING_HEAD ? 3 : 4]++;
            }

            @Override
            public void volunteer(Volunteer volunteer) {
                c[5]++;
                if (volunteer.teams().contains(VolunteerTeam.MEDICINE_DELIVERY)) {
                    c[6]++;
                }
                if (volunteer.reserve()) {
                    c[7]++;
                }
            }

            @Override
            public void visit(Visit visit) {
                c[8]++;
                lastVisit.merge(visit.personExternalId(), visit.date(), (a, b) -> a.isAfter(b) ? a : b);
            }

            @Override
            public void deliveryRequest(DeliveryRequest request) {
                c[10]++;
            }
        });
        for (var entry : lastVisit.entrySet()) {
            if (entry.getValue().plusDays(interval.get(entry.getKey())).isBefore(referenceDate)) {
                c[9]++;
            }
        }
        return new PopulationCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
    }

    /**
     * Writes the road network as OSM XML 0.6 for GraphHopper: arterials ({@code highway=primary}) every fourth
     * lattice line and on the edge, collectors ({@code highway=tertiary}) between, and per compound a gate
     * ({@code barrier=gate}) joined to the street, a service road through the compound and footways to every
     * unit entrance ({@code entrance=staircase}). Node and way ids are positive and every way's nodes are written.
     */
    public void writeRoadNetworkOsm(Path file) throws IOException {
        new RoadNetworkWriter(projection, compoundPlans, columns, rows).write(file);
    }
}
