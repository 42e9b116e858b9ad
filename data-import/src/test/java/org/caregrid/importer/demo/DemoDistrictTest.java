package org.caregrid.importer.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import org.caregrid.importer.AdminArea;
import org.caregrid.importer.AdminLevel;
import org.caregrid.importer.Building;
import org.caregrid.importer.Compound;
import org.caregrid.importer.DeliveryRequest;
import org.caregrid.importer.Facility;
import org.caregrid.importer.FacilityKind;
import org.caregrid.importer.Grid;
import org.caregrid.importer.Head;
import org.caregrid.importer.Household;
import org.caregrid.importer.IdNumbers;
import org.caregrid.importer.ImportError;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.OsmData;
import org.caregrid.importer.OsmReader;
import org.caregrid.importer.Person;
import org.caregrid.importer.Visit;
import org.caregrid.importer.Volunteer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDistrictTest {

    private static DemoDistrict demo;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateOnce() {
        demo = DemoDistrictGenerator.generate(42, DemoDistrictGenerator.DEMO_RESIDENTS);
    }

    @Test
    void demoScaleHasOneStreetWithFourToSixCommunitiesUnderConsistentCodes() {
        Map<AdminLevel, List<AdminArea>> byLevel = demo.adminAreas().stream()
                .collect(Collectors.groupingBy(AdminArea::level));
        assertThat(byLevel.get(AdminLevel.CITY)).hasSize(1);
        assertThat(byLevel.get(AdminLevel.DISTRICT)).singleElement()
                .satisfies(d -> assertThat(d.code()).isEqualTo("510107000000"));
        assertThat(byLevel.get(AdminLevel.STREET)).hasSize(1);
        assertThat(byLevel.get(AdminLevel.COMMUNITY)).hasSizeBetween(4, 6);
        String street = byLevel.get(AdminLevel.STREET).get(0).code();
        for (AdminArea community : byLevel.get(AdminLevel.COMMUNITY)) {
            assertThat(community.code()).matches("\\d{12}").startsWith(street.substring(0, 9));
            assertThat(community.parentCode()).isEqualTo(street);
            assertThat(community.name()).endsWith("社区");
            assertThat(community.boundary().isValid()).isTrue();
        }
        assertThat(byLevel.get(AdminLevel.STREET).get(0).boundary().getArea())
                .isCloseTo(byLevel.get(AdminLevel.COMMUNITY).stream().mapToDouble(a -> a.boundary().getArea()).sum(),
                        org.assertj.core.data.Percentage.withPercentage(0.01));
    }

    @Test
    void everyBuildingIsInsideItsGridAndCompoundAndEveryGridHas300To500Households() {
        Map<String, Grid> grids = demo.grids().stream().collect(Collectors.toMap(Grid::code, g -> g));
        Map<String, Compound> compounds = demo.compounds().stream()
                .collect(Collectors.toMap(Compound::externalId, c -> c));
        Map<String, Integer> households = new HashMap<>();
        Set<String> compoundsWithBuildings = new HashSet<>();
        for (Building building : demo.buildings()) {
            String gridCode = demo.gridCodeOf(building);
            assertThat(grids.get(gridCode).boundary().contains(building.footprint()))
                    .as("building %s inside grid %s", building.externalId(), gridCode).isTrue();
            assertThat(demo.grids().stream().filter(g -> g.boundary().intersects(building.footprint()))).hasSize(1);
            assertThat(compounds.get(building.compoundExternalId()).boundary().contains(building.footprint()))
                    .isTrue();
            assertThat(building.floors()).isBetween(2, 30);
            assertThat(building.householdsEstimated()).isFalse();
            households.merge(gridCode, building.households(), Integer::sum);
            compoundsWithBuildings.add(building.compoundExternalId());
        }
        assertThat(households).hasSameSizeAs(grids);
        assertThat(households.values()).allSatisfy(h -> assertThat(h).isBetween(300, 500));
        assertThat(compoundsWithBuildings).hasSize(compounds.size());
        assertThat(demo.compounds()).anyMatch(c -> Boolean.TRUE.equals(c.hasPropertyManagement()))
                .anyMatch(c -> Boolean.FALSE.equals(c.hasPropertyManagement()));
        assertThat(demo.units()).hasSizeGreaterThan(demo.buildings().size());
        // buildings do not overlap each other
        List<Building> buildings = demo.buildings();
        for (int i = 0; i + 1 < buildings.size(); i++) {
            assertThat(buildings.get(i).footprint().intersects(buildings.get(i + 1).footprint())).isFalse();
        }
    }

    @Test
    void populationIsAboutThirtyThousandWithRealisticKeyPersonsHeadsAndVolunteers() {
        PopulationCounts counts = demo.countPopulation();
        assertThat(counts.persons()).isBetween(25_000L, 35_000L);
        double keyShare = counts.keyPersons() / (double) counts.persons();
        assertThat(keyShare).isBetween(0.04, 0.15);
        double buildingHeadCoverage = counts.buildingHeads() / (double) demo.buildings().size();
        assertThat(buildingHeadCoverage).isBetween(0.75, 0.97);
        double unitHeadCoverage = counts.unitHeads() / (double) demo.units().size();
        assertThat(unitHeadCoverage).isBetween(0.65, 0.95);
        assertThat(counts.volunteers()).isBetween(300L, 1200L);
        assertThat(counts.medicineSquadVolunteers()).isPositive().isLessThan(counts.volunteers());
        assertThat(counts.reserveVolunteers()).isPositive().isLessThan(counts.volunteers());
        assertThat(counts.overdueKeyPersons()).isPositive().isLessThan(counts.keyPersons() / 3);
        assertThat(counts.pendingDeliveryRequests()).isPositive();
        assertThat(counts.visits()).isGreaterThan(counts.keyPersons());
    }

    @Test
    void residentsHaveChineseNamesValidIdNumbersAndHomesInTheirBuilding() {
        Set<String> buildingIds = demo.buildings().stream().map(Building::externalId).collect(Collectors.toSet());
        List<Person> sample = new ArrayList<>();
        Set<String> personIds = new HashSet<>();
        List<String> responsible = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        demo.visitPopulation(new PopulationVisitor() {
            @Override
            public void person(Person person) {
                if (sample.size() < 2000) {
                    sample.add(person);
                }
                if (!personIds.add(person.externalId())) {
                    unknown.add("duplicate " + person.externalId());
                }
            }

            @Override
            public void keyPerson(KeyPersonProfile profile) {
                if (!personIds.contains(profile.personExternalId())) {
                    unknown.add(profile.personExternalId());
                }
                if (profile.responsiblePersonExternalId() != null) {
                    responsible.add(profile.responsiblePersonExternalId());
                }
            }

            @Override
            public void head(Head head) {
                if (!personIds.contains(head.personExternalId())) {
                    unknown.add(head.personExternalId());
                }
            }
        });
        assertThat(unknown).as("key persons and heads refer to residents").isEmpty();
        assertThat(sample).allSatisfy(p -> {
            assertThat(p.name()).matches("[\\u4e00-\\u9fa5]{2,3}");
            assertThat(IdNumbers.isValid(p.idNumber())).isTrue();
            assertThat(buildingIds).contains(p.buildingRef());
            assertThat(p.synthetic()).isTrue();
        });
        assertThat(responsible.stream().filter(id -> !personIds.contains(id))).isEmpty();
    }

    @Test
    void facilitiesAndMicroOrganisationsCoverTheDistrictWithSomeGaps() {
        Map<FacilityKind, Long> kinds = demo.facilities().stream()
                .collect(Collectors.groupingBy(Facility::kind, Collectors.counting()));
        long communities = demo.adminAreas().stream().filter(a -> a.level() == AdminLevel.COMMUNITY).count();
        assertThat(kinds.get(FacilityKind.PHARMACY)).isGreaterThanOrEqualTo(8);
        assertThat(kinds.get(FacilityKind.CLINIC)).isGreaterThanOrEqualTo(3);
        assertThat(kinds.get(FacilityKind.COMMUNITY_HEALTH_CENTRE)).isEqualTo(1);
        assertThat(kinds.get(FacilityKind.SOCIAL_WORK_STATION)).isEqualTo(1);
        assertThat(kinds.get(FacilityKind.HOSPITAL)).isEqualTo(1);
        // the emergency transfer (急诊转运) has somewhere to go for everyone, pregnant women and children too
        assertThat(demo.facilities().stream().filter(f -> f.kind() == FacilityKind.HOSPITAL)).singleElement()
                .satisfies(h -> {
                    assertThat(h.emergency()).isTrue();
                    assertThat(h.specialities()).contains("obstetrics", "paediatrics");
                });
        assertThat(kinds.get(FacilityKind.COMMUNITY_OFFICE)).isEqualTo(communities);
        assertThat(kinds.get(FacilityKind.VOLUNTEER_SERVICE_STATION)).isBetween(communities - 1, communities);
        var street = demo.adminAreas().stream().filter(a -> a.level() == AdminLevel.STREET).findFirst().orElseThrow();
        assertThat(demo.facilities()).allSatisfy(f -> {
            assertThat(street.boundary().contains(f.location())).isTrue();
            assertThat(f.openingHours()).isNotBlank();
        });
        assertThat(demo.microOrganisations()).isNotEmpty()
                .anyMatch(m -> m.compoundExternalId() != null).anyMatch(m -> m.compoundExternalId() == null);
    }

    @Test
    void sameSeedGivesTheSameDistrictAndRoadFile() throws Exception {
        DemoDistrict again = DemoDistrictGenerator.generate(42, DemoDistrictGenerator.DEMO_RESIDENTS);
        assertThat(again.buildings()).isEqualTo(demo.buildings());
        assertThat(again.grids()).isEqualTo(demo.grids());
        assertThat(again.facilities()).isEqualTo(demo.facilities());
        assertThat(again.microOrganisations()).isEqualTo(demo.microOrganisations());
        assertThat(digest(again)).isEqualTo(digest(demo));
        Path first = dir.resolve("a.osm");
        Path second = dir.resolve("b.osm");
        demo.writeRoadNetworkOsm(first);
        again.writeRoadNetworkOsm(second);
        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);

        DemoDistrict other = DemoDistrictGenerator.generate(43, DemoDistrictGenerator.DEMO_RESIDENTS);
        assertThat(other.buildings()).isNotEqualTo(demo.buildings());
        assertThat(digest(other)).isNotEqualTo(digest(demo));
    }

    private static long digest(DemoDistrict district) {
        long[] hash = {17};
        district.visitPopulation(new PopulationVisitor() {
            private void mix(Object record) {
                hash[0] = hash[0] * 31 + record.toString().hashCode();
            }

            @Override
            public void household(Household household) {
                mix(household);
            }

            @Override
            public void person(Person person) {
                mix(person);
            }

            @Override
            public void head(Head head) {
                mix(head);
            }

            @Override
            public void keyPerson(KeyPersonProfile profile) {
                mix(profile.personExternalId() + profile.riskLevel() + profile.categories().size());
            }

            @Override
            public void volunteer(Volunteer volunteer) {
                mix(volunteer.externalId() + volunteer.teams().size() + volunteer.travelMode());
            }

            @Override
            public void visit(Visit visit) {
                mix(visit);
            }

            @Override
            public void deliveryRequest(DeliveryRequest request) {
                mix(request);
            }
        });
        return hash[0];
    }

    @Test
    void roadNetworkIsWellFormedConnectedOsmXmlWithGatesAndEntrances() throws Exception {
        Path file = dir.resolve("roads.osm");
        demo.writeRoadNetworkOsm(file);
        Set<Long> nodes = new HashSet<>();
        List<long[]> ways = new ArrayList<>();
        Set<Long> wayIds = new HashSet<>();
        Map<String, Integer> highways = new HashMap<>();
        int gates = 0;
        int entrances = 0;
        XMLInputFactory factory = XMLInputFactory.newFactory();
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            List<Long> current = null;
            boolean inWay = false;
            boolean hasHighway = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "node" -> {
                            long id = Long.parseLong(xml.getAttributeValue(null, "id"));
                            assertThat(id).isPositive();
                            assertThat(nodes.add(id)).isTrue();
                        }
                        case "way" -> {
                            long id = Long.parseLong(xml.getAttributeValue(null, "id"));
                            assertThat(id).isPositive();
                            assertThat(wayIds.add(id)).isTrue();
                            current = new ArrayList<>();
                            inWay = true;
                            hasHighway = false;
                        }
                        case "nd" -> current.add(Long.parseLong(xml.getAttributeValue(null, "ref")));
                        case "tag" -> {
                            String k = xml.getAttributeValue(null, "k");
                            String v = xml.getAttributeValue(null, "v");
                            if (inWay && k.equals("highway")) {
                                hasHighway = true;
                                highways.merge(v, 1, Integer::sum);
                            }
                            if (k.equals("barrier") && v.equals("gate")) {
                                gates++;
                            }
                            if (k.equals("entrance")) {
                                entrances++;
                            }
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("way")) {
                    assertThat(hasHighway).isTrue();
                    assertThat(current).hasSizeGreaterThanOrEqualTo(2);
                    ways.add(current.stream().mapToLong(Long::longValue).toArray());
                    inWay = false;
                }
            }
        }
        for (long[] way : ways) {
            for (long ref : way) {
                assertThat(nodes).contains(ref);
            }
        }
        assertThat(highways).containsKeys("primary", "tertiary", "service", "footway");
        assertThat(gates).isEqualTo(demo.compounds().size());
        assertThat(entrances).isEqualTo(demo.units().size());
        // one connected graph: every entrance can be reached from every street
        Map<Long, Long> parent = new HashMap<>();
        for (long node : nodes) {
            parent.put(node, node);
        }
        for (long[] way : ways) {
            for (int i = 1; i < way.length; i++) {
                parent.put(find(parent, way[i]), find(parent, way[0]));
            }
        }
        assertThat(nodes.stream().map(n -> find(parent, n)).distinct()).hasSize(1);
        // and our own OSM reader takes it without complaint
        OsmData read = OsmReader.read(file);
        assertThat(read.errors()).extracting(ImportError::severity).doesNotContain(ImportError.Severity.FATAL);
        assertThat(read.nodes()).isEqualTo(nodes.size());
    }

    private static long find(Map<Long, Long> parent, long node) {
        long root = node;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        parent.put(node, root);
        return root;
    }

    @Test
    void benchmarkScaleIsAMillionResidentsInAboutFifteenThousandBuildings() {
        DemoDistrict big = DemoDistrictGenerator.generate(1, DemoDistrictGenerator.BENCHMARK_RESIDENTS);
        assertThat(big.buildings()).hasSizeBetween(11_000, 19_000);
        long households = big.buildings().stream().mapToLong(Building::households).sum();
        assertThat(households).isBetween(350_000L, 420_000L);
        assertThat(big.adminAreas().stream().filter(a -> a.level() == AdminLevel.STREET).count()).isBetween(12L, 18L);
        Map<String, Integer> perGrid = new HashMap<>();
        for (Building building : big.buildings()) {
            perGrid.merge(big.gridCodeOf(building), building.households(), Integer::sum);
        }
        assertThat(perGrid).hasSameSizeAs(big.grids());
        assertThat(perGrid.values()).allSatisfy(h -> assertThat(h).isBetween(300, 500));
        long[] persons = {0};
        big.visitPopulation(new PopulationVisitor() {
            @Override
            public void person(Person person) {
                persons[0]++;
            }
        });
        assertThat(persons[0]).isBetween(900_000L, 1_100_000L);
    }
}
