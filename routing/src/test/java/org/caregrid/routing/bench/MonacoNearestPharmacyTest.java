package org.caregrid.routing.bench;

import org.caregrid.routing.NearestFacilities;
import org.caregrid.routing.SharedData;
import org.caregrid.routing.TravelMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The nearest pharmacy of each of Monaco's 962 buildings (OSM extract, 6 pharmacies), pinned to the figures the
 * search gave before snapping went in bulk (2026-12-01: GraphHopper's location index one point at a time), so that
 * a faster snap or search cannot change an answer unnoticed.
 */
class MonacoNearestPharmacyTest {

    @Test
    void onFootFromEveryBuildingToItsPharmacy() throws IOException {
        NearestFacilities nearest = search(TravelMode.FOOT, NearestFacilities.Direction.PERSON_TO_FACILITY);
        assertThat(countsByPharmacy(nearest)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "node/1712696734", 352L, "node/280489587", 324L, "node/954714337", 122L,
                "node/1712696815", 94L, "node/1790048263", 57L, "node/1094737560", 13L));
        assertThat(nearest.results().stream().mapToDouble(NearestFacilities.Nearest::distanceMeters).sum())
                .isCloseTo(534253.367984, within(1e-3));
        assertThat(nearest.results().stream().mapToLong(NearestFacilities.Nearest::timeMillis).sum()).isEqualTo(410194313L);
        Map<String, NearestFacilities.Nearest> byBuilding = byBuilding(nearest);
        expect(byBuilding, "way/23715051", "node/1712696734", 927.3074892419531, 722998);
        expect(byBuilding, "way/94399530", "node/954714337", 642.675715212315, 480386);
        expect(byBuilding, "way/94399848", "node/280489587", 241.40500776436605, 194032);
        expect(byBuilding, "way/94401974", "node/954714337", 756.2948253026509, 562353);
        expect(byBuilding, "way/94452731", "node/280489587", 1186.6951069284983, 854419);
        expect(byBuilding, "way/167014908", "node/1712696734", 250.29691368331422, 235551);
    }

    @Test
    void byCarFromEveryPharmacyToTheBuildingsItServesFirst() throws IOException {
        NearestFacilities nearest = search(TravelMode.CAR, NearestFacilities.Direction.FACILITY_TO_PERSON);
        assertThat(countsByPharmacy(nearest)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "node/1712696734", 377L, "node/280489587", 367L, "node/954714337", 92L,
                "node/1790048263", 72L, "node/1712696815", 54L));
        assertThat(nearest.results().stream().mapToDouble(NearestFacilities.Nearest::distanceMeters).sum())
                .isCloseTo(897548.068196, within(1e-3));
        assertThat(nearest.results().stream().mapToLong(NearestFacilities.Nearest::timeMillis).sum()).isEqualTo(79218261L);
        Map<String, NearestFacilities.Nearest> byBuilding = byBuilding(nearest);
        expect(byBuilding, "way/23715051", "node/1712696734", 954.8746362037292, 112003);
        expect(byBuilding, "way/49209641", "node/1790048263", 622.2141230835424, 74667);
        expect(byBuilding, "way/94399419", "node/1712696734", 2065.4510570903617, 200753);
        expect(byBuilding, "way/94399848", "node/280489587", 361.00000373193694, 39919);
        expect(byBuilding, "way/104865334", "node/1790048263", 594.8618095345296, 71384);
    }

    private static NearestFacilities search(TravelMode mode, NearestFacilities.Direction direction) throws IOException {
        OsmPlaces places = OsmPlaces.read(SharedData.file("osm/monaco.osm.gz"));
        assertThat(places.buildings()).hasSize(962);
        assertThat(places.pharmacies()).hasSize(6);
        NearestFacilities nearest = SharedData.monaco().nearestFacilities(mode, places.pharmacies(), places.buildings(),
                direction);
        assertThat(nearest.unsnappedPeople()).isEmpty();
        assertThat(nearest.unsnappedFacilities()).isEmpty();
        assertThat(nearest.results()).hasSize(962).allMatch(NearestFacilities.Nearest::reachable);
        return nearest;
    }

    private static Map<String, Long> countsByPharmacy(NearestFacilities nearest) {
        return nearest.results().stream().collect(Collectors.groupingBy(r -> r.facilityId().orElseThrow(),
                Collectors.counting()));
    }

    private static Map<String, NearestFacilities.Nearest> byBuilding(NearestFacilities nearest) {
        return nearest.results().stream().collect(Collectors.toMap(NearestFacilities.Nearest::personId,
                Function.identity(), (a, b) -> a));
    }

    private static void expect(Map<String, NearestFacilities.Nearest> byBuilding, String building, String pharmacy,
                               double meters, long millis) {
        NearestFacilities.Nearest found = byBuilding.get(building);
        assertThat(found.facilityId()).as(building).contains(pharmacy);
        assertThat(found.distanceMeters()).as(building).isCloseTo(meters, within(1e-6));
        assertThat(found.timeMillis()).as(building).isEqualTo(millis);
    }
}
