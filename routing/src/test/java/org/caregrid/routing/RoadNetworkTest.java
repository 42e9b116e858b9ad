package org.caregrid.routing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoadNetworkTest {

    static final Place CASINO = new Place("casino", 43.7396, 7.4275);
    static final Place STADIUM = new Place("stadium", 43.7276, 7.4154);
    static final Place AT_SEA = new Place("sea", 43.70, 7.50);

    @Test
    void buildsAllThreeModesAndSnapsPlacesOnLand() {
        RoadNetwork network = SharedData.monaco();
        assertThat(network.modes()).containsExactlyInAnyOrder(TravelMode.values());
        for (TravelMode mode : TravelMode.values()) {
            SnapReport report = network.snap(mode, List.of(CASINO, STADIUM));
            assertThat(report.unsnapped()).as(mode.name()).isEmpty();
            assertThat(report.snapped()).extracting(s -> s.place().id()).containsExactly("casino", "stadium");
            assertThat(report.snapped()).allSatisfy(s -> assertThat(s.distanceMeters()).isLessThan(100));
        }
    }

    @Test
    void reportsPlacesFarFromAnyRoadWithTheirIdAndDistance() {
        SnapReport report = SharedData.monaco().snap(TravelMode.FOOT, List.of(CASINO, AT_SEA));
        assertThat(report.snapped()).extracting(s -> s.place().id()).containsExactly("casino");
        assertThat(report.unsnapped()).singleElement().satisfies(u -> {
            assertThat(u.id()).isEqualTo("sea");
            assertThat(u.distanceMeters()).satisfiesAnyOf(d -> assertThat(d).isNaN(), d -> assertThat(d).isGreaterThan(300));
        });
    }

    @Test
    void graphFolderIsKeyedByContentAndModesSoAChangedFileRebuilds() throws IOException {
        Path tmp = SharedData.scratchFolder();
        Path osm = SharedData.file("osm/monaco.osm.gz");
        Path copy = tmp.resolve("area.osm.gz");
        Files.copy(osm, copy);
        String original = RoadNetwork.graphFolderName(copy, EnumSet.of(TravelMode.FOOT));
        assertThat(RoadNetwork.graphFolderName(copy, EnumSet.of(TravelMode.FOOT, TravelMode.CAR))).isNotEqualTo(original);

        // Same name, different content (re-compressed with an extra comment): a different folder.
        try (InputStream in = new GZIPInputStream(Files.newInputStream(osm));
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(copy))) {
            byte[] all = in.readAllBytes();
            out.write(all);
            out.write("<!-- edited -->\n".getBytes());
        }
        assertThat(RoadNetwork.graphFolderName(copy, EnumSet.of(TravelMode.FOOT))).isNotEqualTo(original);

        // Opening the changed file builds a fresh graph beside the old one and routes on it.
        Path cache = tmp.resolve("graphs");
        try (RoadNetwork before = RoadNetwork.open(osm, cache, EnumSet.of(TravelMode.FOOT), 300);
             RoadNetwork after = RoadNetwork.open(copy, cache, EnumSet.of(TravelMode.FOOT), 300)) {
            assertThat(after.graphFolder()).isNotEqualTo(before.graphFolder());
            assertThat(after.graphFolder().getFileName().toString())
                    .isEqualTo(RoadNetwork.graphFolderName(copy, EnumSet.of(TravelMode.FOOT)));
            assertThat(after.route(TravelMode.FOOT, List.of(CASINO, STADIUM), java.util.Locale.ENGLISH).route())
                    .isPresent();
        }
        try (java.util.stream.Stream<Path> folders = Files.list(cache)) {
            assertThat(folders).hasSize(2); // no leftover half-built folders
        }
    }

    @Test
    void opensAnotherModeSetBesideTheFirstWithoutProfileMismatch() {
        Path osm = SharedData.file("osm/monaco.osm.gz");
        Path cache = SharedData.graphCache();
        try (RoadNetwork footOnly = RoadNetwork.open(osm, cache, EnumSet.of(TravelMode.FOOT), 300)) {
            assertThat(footOnly.graphFolder()).isNotEqualTo(SharedData.monaco().graphFolder());
            assertThat(footOnly.snap(TravelMode.FOOT, List.of(CASINO)).unsnapped()).isEmpty();
            assertThatThrownBy(() -> footOnly.snap(TravelMode.CAR, List.of(CASINO)))
                    .hasMessageContaining("not prepared");
        }
    }

    @Test
    void aFolderHoldingOtherProfilesIsRebuiltInsteadOfFailing() throws IOException {
        Path tmp = SharedData.scratchFolder();
        Path osm = SharedData.file("osm/monaco.osm.gz");
        Path cache = tmp.resolve("graphs");
        Path footOnly;
        try (RoadNetwork network = RoadNetwork.open(osm, cache, EnumSet.of(TravelMode.FOOT), 300)) {
            footOnly = network.graphFolder();
        }
        // Pretend the foot-only graph is the foot+car one (as a stale or foreign folder would be).
        Path misnamed = cache.resolve(RoadNetwork.graphFolderName(osm, EnumSet.of(TravelMode.FOOT, TravelMode.CAR)));
        Files.move(footOnly, misnamed);
        try (RoadNetwork network = RoadNetwork.open(osm, cache, EnumSet.of(TravelMode.FOOT, TravelMode.CAR), 300)) {
            assertThat(network.graphFolder()).isEqualTo(misnamed);
            assertThat(network.route(TravelMode.CAR, List.of(CASINO, STADIUM), java.util.Locale.ENGLISH).route())
                    .isPresent();
        }
    }

    @Test
    void missingOsmFileIsNamedInTheError() {
        Path missing = Path.of("target/no-such-file.osm.gz").toAbsolutePath();
        assertThatThrownBy(() -> RoadNetwork.open(missing, SharedData.graphCache()))
                .hasMessageContaining(missing.toString());
    }
}
