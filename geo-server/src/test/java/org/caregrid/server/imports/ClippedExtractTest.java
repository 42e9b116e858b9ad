package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

import org.caregrid.importer.ImportError;
import org.caregrid.importer.ImportProgress;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An extract cut from Monaco by a bounding box the way osmconvert -b cuts (nodes outside the box dropped, ways and
 * relations kept whole when any of their members is inside): the buildings the box cut are skipped with a warning
 * each, the whole ones land, and the job's result counts the skipped. The expectations are computed here, from the
 * original file, without the reader.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "caregrid.mode=test")
@DirtiesContext // its own database: give its connections back for the classes after it
class ClippedExtractTest {

    /** Old Monaco-Ville and the port: the box's edges cross dozens of buildings. */
    private static final double WEST = 7.4150;
    private static final double SOUTH = 43.7280;
    private static final double EAST = 7.4250;
    private static final double NORTH = 43.7380;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "clipped_extract");
    }

    @Autowired
    ImportJobs jobs;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    private record Element(String type, long id, Map<String, String> attributes, Map<String, String> tags,
                           List<Long> refs, List<String[]> members) {
    }

    @Test
    void theBuildingsTheBoxCutAreSkippedByNameAndTheWholeOnesLand() throws Exception {
        List<Element> all = parse(OsmImportTest.sharedData().resolve("osm/monaco.osm.gz"));
        Map<Long, Element> ways = new HashMap<>();
        Set<Long> inside = new TreeSet<>();
        for (Element e : all) {
            if (e.type().equals("node") && inBox(e)) {
                inside.add(e.id());
            } else if (e.type().equals("way")) {
                ways.put(e.id(), e);
            }
        }
        Set<Long> keptWays = ways.values().stream().filter(w -> w.refs().stream().anyMatch(inside::contains))
                .map(Element::id).collect(Collectors.toSet());
        List<Element> kept = new ArrayList<>();
        for (Element e : all) {
            boolean keep = switch (e.type()) {
                case "node" -> inside.contains(e.id());
                case "way" -> keptWays.contains(e.id());
                default -> e.members().stream().anyMatch(m -> m[0].equals("node") && inside.contains(Long.parseLong(m[1]))
                        || m[0].equals("way") && keptWays.contains(Long.parseLong(m[1])));
            };
            if (keep) {
                kept.add(e);
            }
        }

        Set<String> whole = new TreeSet<>();
        Set<Long> cutWays = new TreeSet<>();
        Set<Long> cutRelations = new TreeSet<>();
        for (Element e : kept) {
            if (!e.tags().containsKey("building")) {
                continue;
            }
            if (e.type().equals("way")) {
                if (inside.containsAll(e.refs())) {
                    whole.add("osm:way/" + e.id());
                } else {
                    cutWays.add(e.id());
                }
            } else if (e.type().equals("relation") && List.of("multipolygon", "building").contains(e.tags().get("type"))) {
                boolean complete = e.members().stream().filter(m -> m[0].equals("way")).allMatch(m ->
                        ways.containsKey(Long.parseLong(m[1]))
                                && inside.containsAll(ways.get(Long.parseLong(m[1])).refs()));
                if (complete) {
                    whole.add("osm:relation/" + e.id());
                } else {
                    cutRelations.add(e.id());
                }
            }
        }
        assertThat(cutWays).as("the box must cut buildings").hasSizeGreaterThan(10);
        Path extract = dir.resolve("monaco-clip.osm");
        write(kept, extract);

        ImportJobs.Outcome outcome = jobs.run(jobs.create("osm", "monaco-clip.osm", null, "test"), extract,
                "monaco-clip.osm", new ImportRequest("osm", null, null, null), ImportProgress.NONE);

        System.out.printf("clipped Monaco: %d nodes inside, %d ways, %d building features whole, %d building ways and"
                        + " %d building relations cut; job counts %s%n", inside.size(), keptWays.size(), whole.size(),
                cutWays.size(), cutRelations.size(), outcome.counts());
        assertThat(outcome.succeeded()).as(outcome.errors().toString()).isTrue();
        assertThat(outcome.errors()).allSatisfy(e -> assertThat(e.severity()).isEqualTo(ImportError.Severity.WARNING));
        assertThat(jdbc.sql("SELECT external_id FROM building WHERE source = 'osm'").query(String.class).list())
                .containsExactlyInAnyOrderElementsOf(whole);
        assertThat(outcome.counts()).containsEntry("building", (long) whole.size());

        List<ImportError> skipped = outcome.errors().stream().filter(e -> e.reason().endsWith("; skipped")).toList();
        assertThat(skipped.stream().filter(e -> e.reason().startsWith("way " + e.row() + " (building) refers to"))
                .map(ImportError::row)).containsExactlyInAnyOrderElementsOf(cutWays);
        assertThat(skipped.stream().filter(e -> e.reason().startsWith("relation ") && cutRelations.contains(e.row()))
                .map(ImportError::row).distinct()).containsExactlyInAnyOrderElementsOf(cutRelations);
        assertThat(skipped).allSatisfy(e -> assertThat(e.file()).isEqualTo("monaco-clip.osm"));
        assertThat(outcome.counts()).containsEntry("skipped", (long) skipped.size())
                .containsEntry("warnings", (long) outcome.errors().size());
        Map<?, ?> stored = (Map<?, ?>) jobs.status(outcome.jobId()).get("counts");
        assertThat(((Number) stored.get("skipped")).longValue()).isEqualTo(skipped.size());
        assertThat(jobs.status(outcome.jobId())).containsEntry("status", "succeeded");
    }

    private static boolean inBox(Element node) {
        double lat = Double.parseDouble(node.attributes().get("lat"));
        double lon = Double.parseDouble(node.attributes().get("lon"));
        return lat >= SOUTH && lat <= NORTH && lon >= WEST && lon <= EAST;
    }

    /** Every element with its attributes, tags, node refs and members; a plain StAX pass. */
    private static List<Element> parse(Path file) throws Exception {
        List<Element> elements = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            Element current = null;
            while (xml.hasNext()) {
                if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = xml.getLocalName();
                switch (name) {
                    case "node", "way", "relation" -> {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < xml.getAttributeCount(); i++) {
                            attributes.put(xml.getAttributeLocalName(i), xml.getAttributeValue(i));
                        }
                        current = new Element(name, Long.parseLong(attributes.get("id")), attributes,
                                new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>());
                        elements.add(current);
                    }
                    case "tag" -> current.tags().put(xml.getAttributeValue(null, "k"), xml.getAttributeValue(null, "v"));
                    case "nd" -> current.refs().add(Long.parseLong(xml.getAttributeValue(null, "ref")));
                    case "member" -> current.members().add(new String[] {xml.getAttributeValue(null, "type"),
                            xml.getAttributeValue(null, "ref"), xml.getAttributeValue(null, "role")});
                    default -> { }
                }
            }
        }
        return elements;
    }

    private static void write(List<Element> elements, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("osm");
            xml.writeAttribute("version", "0.6");
            for (Element e : elements) {
                xml.writeStartElement(e.type());
                for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                    xml.writeAttribute(a.getKey(), a.getValue());
                }
                for (long ref : e.refs()) {
                    xml.writeEmptyElement("nd");
                    xml.writeAttribute("ref", Long.toString(ref));
                }
                for (String[] m : e.members()) {
                    xml.writeEmptyElement("member");
                    xml.writeAttribute("type", m[0]);
                    xml.writeAttribute("ref", m[1]);
                    xml.writeAttribute("role", m[2] == null ? "" : m[2]);
                }
                for (Map.Entry<String, String> t : e.tags().entrySet()) {
                    xml.writeEmptyElement("tag");
                    xml.writeAttribute("k", t.getKey());
                    xml.writeAttribute("v", t.getValue());
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        }
    }
}
