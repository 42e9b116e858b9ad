package org.caregrid.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.google.protobuf.ByteString;
import crosby.binary.Osmformat;
import crosby.binary.file.BlockOutputStream;
import crosby.binary.file.FileBlock;
import org.junit.jupiter.api.Test;

/**
 * GraphHopper reads a PBF road file through caregrid's stand-ins for osmosis-osm-binary (current protobuf gencode):
 * the road is routable and the protobuf runtime logs no "Vulnerable protobuf generated type" warning.
 */
class PbfRoadsTest {

    @Test
    void aPbfRoadFileIsRoutedWithoutTheVulnerableGencodeWarning() throws IOException {
        Path dir = SharedData.scratchFolder().resolve("pbf-roads");
        Files.createDirectories(dir);
        Path pbf = dir.resolve("street.osm.pbf");
        writeGrid(pbf);

        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        try (RoadNetwork network = RoadNetwork.open(pbf, dir.resolve("graphs"), EnumSet.of(TravelMode.FOOT),
                RoadNetwork.DEFAULT_MAX_SNAP_DISTANCE_METERS)) {
            TravelSummary walk = network.travel(TravelMode.FOOT, new Place("west", 43.7300, 7.4205),
                    new Place("east", 43.7300, 7.4295)).orElseThrow();
            // 0.009° of longitude at 43.73° N is 724 m
            assertThat(walk.distanceMeters()).isBetween(715.0, 735.0);
        } finally {
            root.removeHandler(handler);
        }
        assertThat(warnings).noneSatisfy(r -> assertThat(String.valueOf(r.getMessage())).contains("protobuf"));
        // what GraphHopper links against is caregrid's delegate, not protobuf 3 gencode
        assertThat(com.google.protobuf.GeneratedMessage.class
                .isAssignableFrom(org.openstreetmap.osmosis.osmbinary.Osmformat.Node.class)).isFalse();
    }

    /**
     * A 20 × 20 grid of residential streets 0.0005° apart from 43.73 N 7.42 E, in a zlib-compressed PBF: large enough
     * that GraphHopper keeps it (it drops subnetworks under 200 edges).
     */
    private static void writeGrid(Path file) throws IOException {
        int n = 20;
        Osmformat.StringTable.Builder strings = Osmformat.StringTable.newBuilder();
        for (String s : new String[] {"", "highway", "residential"}) {
            strings.addS(ByteString.copyFromUtf8(s));
        }
        Osmformat.DenseNodes.Builder dense = Osmformat.DenseNodes.newBuilder();
        long lastLat = 0;
        long lastLon = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                long lat = 437_300_000L + r * 5_000L; // units of 100 nanodegrees, delta-coded
                long lon = 74_200_000L + c * 5_000L;
                dense.addId(1).addLat(lat - lastLat).addLon(lon - lastLon);
                lastLat = lat;
                lastLon = lon;
            }
        }
        Osmformat.PrimitiveGroup.Builder ways = Osmformat.PrimitiveGroup.newBuilder();
        for (int line = 0; line < 2 * n; line++) {
            Osmformat.Way.Builder way = Osmformat.Way.newBuilder().setId(1000 + line).addKeys(1).addVals(2);
            long last = 0;
            for (int k = 0; k < n; k++) {
                long id = line < n ? line * n + k + 1 : k * n + (line - n) + 1; // rows, then columns
                way.addRefs(id - last);
                last = id;
            }
            ways.addWays(way);
        }
        Osmformat.PrimitiveBlock block = Osmformat.PrimitiveBlock.newBuilder().setStringtable(strings)
                .addPrimitivegroup(Osmformat.PrimitiveGroup.newBuilder().setDense(dense))
                .addPrimitivegroup(ways).build();
        Osmformat.HeaderBlock header = Osmformat.HeaderBlock.newBuilder().addRequiredFeatures("OsmSchema-V0.6")
                .addRequiredFeatures("DenseNodes").build();
        try (OutputStream out = Files.newOutputStream(file)) {
            BlockOutputStream blocks = new BlockOutputStream(out);
            blocks.write(FileBlock.newInstance("OSMHeader", header.toByteString(), null));
            blocks.write(FileBlock.newInstance("OSMData", block.toByteString(), null));
            blocks.flush();
        }
    }
}
