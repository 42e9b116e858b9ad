package org.caregrid.routing;

import com.graphhopper.GHRequest;
import com.graphhopper.GHResponse;
import com.graphhopper.ResponsePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NearestFacilitiesTest {

    @ParameterizedTest
    @CsvSource({"FOOT,PERSON_TO_FACILITY", "CAR,PERSON_TO_FACILITY", "CAR,FACILITY_TO_PERSON"})
    void agreesWithOneToOneRoutesToEveryFacility(TravelMode mode, NearestFacilities.Direction direction) {
        RoadNetwork network = SharedData.monaco();
        List<Place> facilities = MonacoPlaces.random("pharmacy", 6, 77);
        List<Place> people = MonacoPlaces.random("person", 40, 78);
        NearestFacilities nearest = network.nearestFacilities(mode, facilities, people, direction);
        assertThat(nearest.unsnappedPeople()).isEmpty();
        assertThat(nearest.results()).hasSize(people.size());

        for (int i = 0; i < people.size(); i++) {
            Place person = people.get(i);
            NearestFacilities.Nearest found = nearest.results().get(i);
            assertThat(found.personId()).isEqualTo(person.id());
            ResponsePath best = null;
            String bestId = null;
            double secondWeight = Double.POSITIVE_INFINITY;
            for (Place facility : facilities) {
                Place from = direction == NearestFacilities.Direction.PERSON_TO_FACILITY ? person : facility;
                Place to = direction == NearestFacilities.Direction.PERSON_TO_FACILITY ? facility : person;
                GHResponse response = network.hopper().route(new GHRequest(from.lat(), from.lon(), to.lat(), to.lon())
                        .setProfile(mode.profileName()));
                if (response.hasErrors()) {
                    continue;
                }
                ResponsePath path = response.getBest();
                if (best == null || path.getRouteWeight() < best.getRouteWeight()) {
                    secondWeight = best == null ? secondWeight : best.getRouteWeight();
                    best = path;
                    bestId = facility.id();
                } else {
                    secondWeight = Math.min(secondWeight, path.getRouteWeight());
                }
            }
            assertThat(found.reachable()).isEqualTo(best != null);
            if (best == null) {
                continue;
            }
            if (secondWeight - best.getRouteWeight() > 1e-3) {
                assertThat(found.facilityId()).as(person.id()).contains(bestId);
                assertThat(found.distanceMeters()).as(person.id()).isCloseTo(best.getDistance(), within(0.01));
                // Per-edge time rounding over roads split by the other snaps: a few ms.
                assertThat(found.timeMillis()).as(person.id()).isCloseTo(best.getTime(), within(5L));
            }
        }
    }

    @Test
    void peopleAtOnePointShareOneSnapAndEachGetsTheAnswer() {
        RoadNetwork network = SharedData.monaco();
        List<Place> facilities = MonacoPlaces.random("pharmacy", 6, 77);
        Place home = MonacoPlaces.random("home", 1, 5).get(0);
        List<Place> people = List.of(new Place("a", home.lat(), home.lon()), new Place("b", home.lat(), home.lon()),
                new Place("sea-1", 43.69, 7.51), new Place("sea-2", 43.69, 7.51));
        NearestFacilities together = network.nearestFacilities(TravelMode.FOOT, facilities, people,
                NearestFacilities.Direction.PERSON_TO_FACILITY);
        NearestFacilities alone = network.nearestFacilities(TravelMode.FOOT, facilities, List.of(home),
                NearestFacilities.Direction.PERSON_TO_FACILITY);
        assertThat(together.results()).extracting(NearestFacilities.Nearest::personId).containsExactly("a", "b");
        assertThat(together.results()).allSatisfy(r -> {
            assertThat(r.facilityId()).isEqualTo(alone.results().get(0).facilityId());
            assertThat(r.timeMillis()).isEqualTo(alone.results().get(0).timeMillis());
            assertThat(r.distanceMeters()).isEqualTo(alone.results().get(0).distanceMeters());
        });
        assertThat(together.unsnappedPeople()).extracting(Unsnapped::id).containsExactly("sea-1", "sea-2");
    }

    @Test
    void withoutFacilitiesNobodyHasANearestOne() {
        NearestFacilities nearest = SharedData.monaco().nearestFacilities(TravelMode.FOOT, List.of(),
                MonacoPlaces.random("person", 2, 3), NearestFacilities.Direction.PERSON_TO_FACILITY);
        assertThat(nearest.results()).hasSize(2).noneMatch(NearestFacilities.Nearest::reachable)
                .allSatisfy(r -> assertThat(r.timeMillis()).isEqualTo(-1));
    }

    @Test
    void unsnappedPeopleAndFacilitiesAreReported() {
        List<Place> facilities = new ArrayList<>(MonacoPlaces.random("pharmacy", 2, 1));
        facilities.add(new Place("floating-pharmacy", 43.70, 7.50));
        List<Place> people = new ArrayList<>(MonacoPlaces.random("person", 3, 2));
        people.add(new Place("on-a-boat", 43.69, 7.51));
        NearestFacilities nearest = SharedData.monaco().nearestFacilities(TravelMode.FOOT, facilities, people,
                NearestFacilities.Direction.PERSON_TO_FACILITY);
        assertThat(nearest.results()).hasSize(3).allSatisfy(r -> assertThat(r.facilityId()).isPresent()
                .get().isNotEqualTo("floating-pharmacy"));
        assertThat(nearest.unsnappedPeople()).extracting(Unsnapped::id).containsExactly("on-a-boat");
        assertThat(nearest.unsnappedFacilities()).extracting(Unsnapped::id).containsExactly("floating-pharmacy");
    }
}
