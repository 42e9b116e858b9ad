package org.caregrid.importer.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.caregrid.importer.Building;
import org.caregrid.importer.Household;
import org.caregrid.importer.OsmData;
import org.caregrid.importer.OsmReader;
import org.caregrid.importer.OsmReaderTest;
import org.caregrid.importer.Person;
import org.junit.jupiter.api.Test;

class SyntheticPopulationTest {

    @Test
    void monacoResidentialBuildingsGetExactlyTheirHouseholdsAndSyntheticResidents() {
        OsmData monaco = OsmReader.read(OsmReaderTest.sharedData("osm/monaco.osm.gz"));
        long expectedHouseholds = monaco.buildings().stream().filter(b -> b.households() != null)
                .mapToLong(Building::households).sum();
        assertThat(expectedHouseholds).isPositive();
        List<Household> households = new ArrayList<>();
        List<Person> persons = new ArrayList<>();
        SyntheticPopulation.populate(5, monaco.buildings(), monaco.units(), LocalDate.of(2026, 11, 20),
                new PopulationVisitor() {
                    @Override
                    public void household(Household household) {
                        households.add(household);
                    }

                    @Override
                    public void person(Person person) {
                        persons.add(person);
                    }
                });
        assertThat(households).hasSize((int) expectedHouseholds);
        assertThat(persons).allSatisfy(p -> {
            assertThat(p.synthetic()).isTrue();
            assertThat(p.externalId()).startsWith("synthetic:p:osm:");
            assertThat(p.buildingRef()).startsWith("osm:");
        });
        assertThat(persons.size()).isBetween((int) (expectedHouseholds * 2), (int) (expectedHouseholds * 3.2));
    }
}
