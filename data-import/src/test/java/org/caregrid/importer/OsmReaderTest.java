package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import crosby.binary.Fileformat;
import crosby.binary.Osmformat;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.caregrid.importer.ImportError.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class OsmReaderTest {

    @TempDir
    Path dir;

    public static Path sharedData(String relative) {
        Path base = Path.of(System.getProperty("caregrid.shared.data", "../../shared/data"));
        Path file = base.resolve(relative);
        assertThat(file).as("shared test data is missing: expected " + file.toAbsolutePath()
                + " (see shared/data/README.md)").exists();
        return file;
    }

    @Test
    void monacoEveryBuildingWayEveryCompleteBuildingRelationAndAllSixPharmacies() {
        OsmData data = OsmReader.read(sharedData("osm/monaco.osm.gz"));
        // Counted independently with an XML parser: 962 building=* ways, all with their nodes; 4 complete
        // multipolygon building relations; 6 amenity=pharmacy nodes; 3 amenity=hospital nodes; 1 entrance node.
        assertThat(data.buildings().stream().filter(b -> b.externalId().startsWith("osm:way/"))).hasSize(962);
        assertThat(data.buildings().stream().filter(b -> b.externalId().startsWith("osm:relation/")))
                .extracting(Building::externalId).containsExactlyInAnyOrder("osm:relation/2093796",
                        "osm:relation/2167720", "osm:relation/2167721", "osm:relation/2236035");
        assertThat(data.facilities().stream().filter(f -> f.kind() == FacilityKind.PHARMACY))
                .extracting(Facility::externalId).containsExactlyInAnyOrder("osm:node/280489587",
                        "osm:node/954714337", "osm:node/1094737560", "osm:node/1712696734", "osm:node/1712696815",
                        "osm:node/1790048263");
        assertThat(data.facilities().stream().filter(f -> f.kind() == FacilityKind.HOSPITAL)).hasSize(3);
        assertThat(data.units()).hasSize(1);
        assertThat(data.errors()).noneMatch(e -> e.severity() != Severity.WARNING);
        assertThat(data.buildings()).allSatisfy(b -> {
            assertThat(b.footprint().isValid()).isTrue();
            assertThat(b.source()).isEqualTo("osm");
            assertThat(b.footprint().getCentroid().getX()).isBetween(7.40, 7.45);
        });
        Building withHole = data.buildings().stream().filter(b -> b.externalId().equals("osm:relation/2093796"))
                .findFirst().orElseThrow();
        assertThat(withHole.footprint().getNumInteriorRing()).isEqualTo(1);
        assertThat(data.nodes()).isGreaterThan(13_000);
    }

    @Test
    void hospitalsKeepTheirSpecialitiesAndEmergencyDepartment() throws IOException {
        Path file = dir.resolve("hospitals.osm");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <osm version="0.6">
                  <node id="1" lat="30.6400" lon="104.0600">
                    <tag k="amenity" v="hospital"/><tag k="name" v="妇幼保健院"/><tag k="emergency" v="yes"/>
                    <tag k="healthcare:speciality" v="Obstetrics; paediatrics;;gynaecology;obstetrics;x"/>
                  </node>
                  <node id="2" lat="30.6410" lon="104.0610">
                    <tag k="healthcare" v="hospital"/><tag k="name" v="康复医院"/><tag k="emergency" v="no"/>
                  </node>
                </osm>
                """, StandardCharsets.UTF_8);
        List<Facility> hospitals = OsmReader.read(file).facilities();
        assertThat(hospitals).extracting(Facility::externalId).containsExactly("osm:node/1", "osm:node/2");
        // OSM lists are ";"-separated; words are lower-cased, repeats and one-letter noise dropped
        assertThat(hospitals.get(0).specialities()).containsExactly("obstetrics", "paediatrics", "gynaecology");
        assertThat(hospitals.get(0).emergency()).isTrue();
        assertThat(hospitals.get(1).specialities()).isEmpty();
        assertThat(hospitals.get(1).emergency()).isFalse();
    }

    private static final String SMALL_OSM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <osm version="0.6">
              <node id="1" lat="30.6400" lon="104.0600"/>
              <node id="2" lat="30.6400" lon="104.0604"/>
              <node id="3" lat="30.6403" lon="104.0604"/>
              <node id="4" lat="30.6403" lon="104.0600">
                <tag k="entrance" v="main"/><tag k="ref" v="1单元"/>
              </node>
              <node id="5" lat="30.6410" lon="104.0610">
                <tag k="amenity" v="pharmacy"/><tag k="name" v="老百姓大药房"/><tag k="opening_hours" v="Mo-Su 08:00-22:00"/>
              </node>
              <node id="6" lat="30.6411" lon="104.0611">
                <tag k="amenity" v="clinic"/><tag k="name" v="玉林社区卫生服务中心"/>
              </node>
              <way id="10">
                <nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
                <tag k="building" v="residential"/><tag k="building:levels" v="6"/><tag k="name" v="1栋"/>
                <tag k="addr:street" v="玉林北路"/><tag k="addr:housenumber" v="5"/>
              </way>
              <way id="11">
                <nd ref="1"/><nd ref="99"/><nd ref="98"/><nd ref="1"/>
                <tag k="building" v="yes"/>
              </way>
              <way id="12">
                <nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
                <tag k="landuse" v="residential"/><tag k="name" v="玉林小区"/>
              </way>
            </osm>
            """;

    @Test
    void wayWithMissingNodesIsNamedAndTheRestIsRead() throws IOException {
        Path file = dir.resolve("small.osm");
        Files.writeString(file, SMALL_OSM, StandardCharsets.UTF_8);
        OsmData data = OsmReader.read(file);
        assertThat(data.buildings()).singleElement().satisfies(b -> {
            assertThat(b.externalId()).isEqualTo("osm:way/10");
            assertThat(b.floors()).isEqualTo(6);
            assertThat(b.householdsEstimated()).isTrue();
            assertThat(b.households()).isBetween(80, 90); // 38 m x 33 m x 6 levels / 90 m² = 85
            assertThat(b.address().street()).isEqualTo("玉林北路");
            assertThat(b.entrance().getX()).isEqualTo(104.0600);
        });
        assertThat(data.units()).singleElement().satisfies(u -> {
            assertThat(u.buildingExternalId()).isEqualTo("osm:way/10");
            assertThat(u.number()).isEqualTo("1单元");
        });
        assertThat(data.compounds()).extracting(Compound::name).containsExactly("玉林小区");
        assertThat(data.facilities()).extracting(Facility::kind)
                .containsExactlyInAnyOrder(FacilityKind.PHARMACY, FacilityKind.COMMUNITY_HEALTH_CENTRE);
        assertThat(data.errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(Severity.WARNING);
            assertThat(e.row()).isEqualTo(11);
            assertThat(e.reason()).contains("way 11 (building)").contains("missing").contains("node 98")
                    .endsWith("; skipped");
        });
        assertThat(data.skipped()).isEqualTo(1);
        assertThat(data.isFatal()).isFalse();
    }

    @Test
    void aBrokenFeatureIsAWarningNamingItAndTheRestIsRead() throws IOException {
        Path file = dir.resolve("broken.osm");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <osm version="0.6">
                  <node id="1" lat="30.6400" lon="104.0600"/>
                  <node id="2" lat="30.6400" lon="104.0604"/>
                  <node id="3" lat="30.6403" lon="104.0604"/>
                  <node id="4" lat="30.6403" lon="104.0600"/>
                  <node id="5" lat="91.5" lon="104.0600"/>
                  <node id="6" lat="x" lon="104.0600"/>
                  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
                    <tag k="building" v="yes"/></way>
                  <way id="11"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="building" v="yes"/></way>
                  <way id="12"><nd ref="1"/><nd ref="3"/><nd ref="2"/><nd ref="4"/><nd ref="1"/>
                    <tag k="building" v="yes"/></way>
                  <way id="13"><nd ref="1"/><nd ref="2"/><nd ref="5"/><nd ref="1"/><tag k="building" v="yes"/></way>
                  <way id="14"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/></way>
                  <relation id="20"><member type="way" ref="14" role="outer"/><member type="way" ref="77" role="inner"/>
                    <tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
                </osm>
                """, StandardCharsets.UTF_8);
        OsmData data = OsmReader.read(file);
        assertThat(data.isFatal()).isFalse();
        // 10 is whole; 12 is a bow-tie, repaired; 11 is open, 13 needs a node outside the world, 20 lacks a way
        assertThat(data.buildings()).extracting(Building::externalId).containsExactly("osm:way/10", "osm:way/12");
        assertThat(data.skipped()).isEqualTo(3);
        assertThat(data.errors()).allSatisfy(e -> assertThat(e.severity()).isEqualTo(Severity.WARNING))
                .extracting(e -> e.row() + ": " + e.reason()).containsExactlyInAnyOrder(
                        "5: node 5 lies outside the world (lat 91.5, lon 104.06); left out, with whatever needs it",
                        "6: node 6 lies outside the world (lat NaN, lon 104.06); left out, with whatever needs it",
                        "11: way 11 (building) is not closed: its first and last nodes differ; skipped",
                        "12: way 12 is an invalid polygon (e.g. self-intersecting); repaired",
                        "12: osm:way/12 has 2 separate parts; kept the largest",
                        "13: way 13 (building) refers to 1 of its 4 nodes that are missing from the file (e.g. node 5);"
                                + " the extract was probably cut at its edge; skipped",
                        "20: relation 20 is incomplete: its member way 77 is missing from the file; skipped");
    }

    @Test
    void whatSpoilsTheWholeFileIsFatalInWords() throws IOException {
        Path html = dir.resolve("page.osm");
        Files.writeString(html, "<html><body>Not found</body></html>", StandardCharsets.UTF_8);
        assertThat(OsmReader.read(html).errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(Severity.FATAL);
            assertThat(e.reason()).isEqualTo("not an OSM XML file: its root element is <html>, expected <osm>");
        });
        Path gz = dir.resolve("cut.osm.gz");
        byte[] whole;
        try (var bytes = new java.io.ByteArrayOutputStream();
             var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(SMALL_OSM.getBytes(StandardCharsets.UTF_8));
            out.finish();
            whole = bytes.toByteArray();
        }
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThat(OsmReader.read(gz).errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(Severity.FATAL);
            assertThat(e.reason()).matches("the OSM XML is truncated or malformed at line \\d+: the file ends early: "
                    + "it is truncated \\(.*\\)");
        });
        Path empty = dir.resolve("empty.osm");
        Files.writeString(empty, "", StandardCharsets.UTF_8);
        assertThat(OsmReader.read(empty).isFatal()).isTrue();
    }

    @Test
    void truncatedOsmXmlIsFatal() throws IOException {
        Path file = dir.resolve("cut.osm");
        Files.writeString(file, SMALL_OSM.substring(0, SMALL_OSM.indexOf("<way id=\"11\">") + 20),
                StandardCharsets.UTF_8);
        OsmData data = OsmReader.read(file);
        assertThat(data.isFatal()).isTrue();
        assertThat(data.errors()).anySatisfy(e -> assertThat(e.reason()).contains("truncated"));
    }

    @Test
    void pbfGivesTheSameRecordsAsXml() throws IOException {
        Path pbf = dir.resolve("small.osm.pbf");
        writeSmallPbf(pbf);
        OsmData data = OsmReader.read(pbf);
        assertThat(data.errors()).isEmpty();
        assertThat(data.buildings()).singleElement().satisfies(b -> {
            assertThat(b.externalId()).isEqualTo("osm:way/10");
            assertThat(b.floors()).isEqualTo(6);
            assertThat(b.footprint().getEnvelopeInternal().getMinX()).isCloseTo(104.06,
                    org.assertj.core.data.Offset.offset(1e-7));
        });
        assertThat(data.facilities()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FacilityKind.PHARMACY);
            assertThat(f.name()).isEqualTo("老百姓大药房");
        });
    }

    @Test
    void aTruncatedOrFakePbfIsFatalInWords() throws IOException {
        Path pbf = dir.resolve("whole.osm.pbf");
        writeSmallPbf(pbf);
        byte[] whole = Files.readAllBytes(pbf);
        Path cut = dir.resolve("cut.osm.pbf");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 10));
        assertThat(OsmReader.read(cut).errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(Severity.FATAL);
            assertThat(e.reason()).isEqualTo("the OSM file is truncated: the PBF file ends inside a block");
        });
        assertThat(OsmReader.read(cut).buildings()).isEmpty();
        Path text = dir.resolve("text.osm.pbf");
        Files.writeString(text, SMALL_OSM, StandardCharsets.UTF_8);
        assertThat(OsmReader.read(text).errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(Severity.FATAL);
            assertThat(e.reason()).startsWith("not an OSM PBF file: a blob header of");
        });
    }

    @Test
    void wayLinesGivesTheFilteredWaysOfAPbfAsLines() throws IOException {
        Path pbf = dir.resolve("lines.osm.pbf");
        writeSmallPbf(pbf);
        List<double[][]> lines = OsmReader.wayLines(pbf, tags -> tags.containsKey("building"));
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).hasNumberOfRows(5);
            assertThat(line[0][0]).isCloseTo(104.06, org.assertj.core.data.Offset.offset(1e-7));
            assertThat(line[0][1]).isCloseTo(30.64, org.assertj.core.data.Offset.offset(1e-7));
            assertThat(line[4]).isEqualTo(line[0]);
        });
        assertThat(OsmReader.wayLines(pbf, tags -> "primary".equals(tags.get("highway")))).isEmpty();
    }

    /** Four dense nodes (one a pharmacy) and one building way, uncompressed blobs. */
    private static void writeSmallPbf(Path file) throws IOException {
        List<String> strings = List.of("", "amenity", "pharmacy", "name", "老百姓大药房", "building", "residential",
                "building:levels", "6");
        Osmformat.StringTable.Builder table = Osmformat.StringTable.newBuilder();
        strings.forEach(s -> table.addS(ByteString.copyFromUtf8(s)));
        long[][] nodes = {{1, 306400000, 1040600000}, {2, 306400000, 1040604000}, {3, 306403000, 1040604000},
                {4, 306403000, 1040600000}};
        Osmformat.DenseNodes.Builder dense = Osmformat.DenseNodes.newBuilder();
        long lastId = 0;
        long lastLat = 0;
        long lastLon = 0;
        for (long[] n : nodes) {
            dense.addId(n[0] - lastId).addLat(n[1] - lastLat).addLon(n[2] - lastLon);
            lastId = n[0];
            lastLat = n[1];
            lastLon = n[2];
            if (n[0] == 4) {
                dense.addKeysVals(1).addKeysVals(2).addKeysVals(3).addKeysVals(4);
            }
            dense.addKeysVals(0);
        }
        Osmformat.Way.Builder way = Osmformat.Way.newBuilder().setId(10).addKeys(5).addVals(6).addKeys(7).addVals(8);
        long last = 0;
        for (long ref : new long[] {1, 2, 3, 4, 1}) {
            way.addRefs(ref - last);
            last = ref;
        }
        Osmformat.PrimitiveBlock block = Osmformat.PrimitiveBlock.newBuilder().setStringtable(table)
                .addPrimitivegroup(Osmformat.PrimitiveGroup.newBuilder().setDense(dense))
                .addPrimitivegroup(Osmformat.PrimitiveGroup.newBuilder().addWays(way)).build();
        Osmformat.HeaderBlock header = Osmformat.HeaderBlock.newBuilder().addRequiredFeatures("OsmSchema-V0.6")
                .addRequiredFeatures("DenseNodes").build();
        try (OutputStream out = Files.newOutputStream(file); DataOutputStream data = new DataOutputStream(out)) {
            writeBlob(data, "OSMHeader", header.toByteString());
            writeBlob(data, "OSMData", block.toByteString());
        }
    }

    private static void writeBlob(DataOutputStream out, String type, ByteString payload) throws IOException {
        Fileformat.Blob blob = Fileformat.Blob.newBuilder().setRaw(payload).setRawSize(payload.size()).build();
        Fileformat.BlobHeader blobHeader = Fileformat.BlobHeader.newBuilder().setType(type)
                .setDatasize(blob.getSerializedSize()).build();
        out.writeInt(blobHeader.getSerializedSize());
        blobHeader.writeTo(out);
        blob.writeTo(out);
    }
}
