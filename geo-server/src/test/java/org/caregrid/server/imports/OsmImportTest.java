package org.caregrid.server.imports;

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
import java.util.zip.GZIPInputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Monaco's extract, counted independently with an XML parser, lands whole; a second import changes nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "caregrid.mode=test")
@DirtiesContext // its own database: give its connections back for the classes after it
class OsmImportTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "osm_import");
    }

    @Autowired
    ImportJobs jobs;

    @Autowired
    JdbcClient jdbc;

    /** What the file holds, by a plain StAX pass that shares no code with the reader. */
    record Counted(Set<Long> buildingWays, Set<Long> completeBuildingRelations, int pharmacies) {
    }

    @Test
    void monacoLoadsEveryBuildingAndPharmacyAndASecondImportChangesNothing() throws Exception {
        Path monaco = sharedData().resolve("osm/monaco.osm.gz");
        assertThat(monaco).as("the Monaco extract at %s (system property caregrid.shared.data)", monaco).exists();
        Counted counted = count(monaco);
        assertThat(counted.buildingWays()).hasSize(962);

        ImportJobs.Outcome first = run(monaco);
        assertThat(first.succeeded()).as(first.errors().toString()).isTrue();
        assertThat(ids("SELECT external_id FROM building WHERE source = 'osm' AND external_id LIKE 'osm:way/%'"))
                .containsExactlyInAnyOrderElementsOf(counted.buildingWays().stream().map(id -> "osm:way/" + id).toList());
        assertThat(ids("SELECT external_id FROM building WHERE source = 'osm' AND external_id LIKE 'osm:relation/%'"))
                .containsExactlyInAnyOrderElementsOf(
                        counted.completeBuildingRelations().stream().map(id -> "osm:relation/" + id).toList());
        assertThat(jdbc.sql("SELECT count(*) FROM facility WHERE kind = 'pharmacy'").query(Long.class).single())
                .isEqualTo(counted.pharmacies()).isEqualTo(6);
        assertThat(jdbc.sql("SELECT bool_and(ST_IsValid(footprint)) FROM building").query(Boolean.class).single()).isTrue();

        String before = snapshot();
        ImportJobs.Outcome second = run(monaco);
        assertThat(second.succeeded()).isTrue();
        assertThat(second.counts()).noneSatisfy((key, value) -> assertThat(key).startsWith("changed."));
        assertThat(snapshot()).isEqualTo(before);
    }

    private ImportJobs.Outcome run(Path file) {
        return jobs.run(jobs.create("osm", "monaco.osm.gz", null, "test"), file, "monaco.osm.gz",
                new ImportRequest("osm", null, null, null), ImportProgress.NONE);
    }

    private List<String> ids(String sql) {
        return jdbc.sql(sql).query(String.class).list();
    }

    private String snapshot() {
        return jdbc.sql("""
                SELECT (SELECT md5(string_agg(b::text, '|' ORDER BY b.id)) FROM building b) ||
                       (SELECT md5(coalesce(string_agg(u::text, '|' ORDER BY u.id), '')) FROM unit u) ||
                       (SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY c.id), '')) FROM compound c) ||
                       (SELECT md5(string_agg(f::text, '|' ORDER BY f.id)) FROM facility f)""")
                .query(String.class).single();
    }

    static Path sharedData() {
        String shared = System.getProperty("caregrid.shared.data");
        assertThat(shared).as("system property caregrid.shared.data (surefire sets it to ../shared/data)").isNotNull();
        return Path.of(shared);
    }

    private static Counted count(Path file) throws Exception {
        Set<Long> nodes = new HashSet<>();
        Set<Long> ways = new HashSet<>();
        Set<Long> buildingWays = new HashSet<>();
        Map<Long, List<Long>> relationWays = new HashMap<>();
        Set<Long> buildingRelations = new HashSet<>();
        int pharmacies = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            XMLStreamReader xml = XMLInputFactory.newFactory().createXMLStreamReader(in);
            String element = null;
            long id = 0;
            Map<String, String> tags = new HashMap<>();
            List<Long> members = new ArrayList<>();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    switch (name) {
                        case "node", "way", "relation" -> {
                            element = name;
                            id = Long.parseLong(xml.getAttributeValue(null, "id"));
                            tags.clear();
                            members.clear();
                            if (name.equals("node")) {
                                nodes.add(id);
                            } else if (name.equals("way")) {
                                ways.add(id);
                            }
                        }
                        case "tag" -> tags.put(xml.getAttributeValue(null, "k"), xml.getAttributeValue(null, "v"));
                        case "member" -> {
                            if ("way".equals(xml.getAttributeValue(null, "type"))) {
                                members.add(Long.parseLong(xml.getAttributeValue(null, "ref")));
                            }
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals(element)) {
                    if ("pharmacy".equals(tags.get("amenity")) || "pharmacy".equals(tags.get("healthcare"))) {
                        pharmacies++;
                    }
                    if (tags.containsKey("building") && element.equals("way")) {
                        buildingWays.add(id);
                    }
                    if (tags.containsKey("building") && element.equals("relation")
                            && List.of("multipolygon", "building").contains(tags.get("type"))) {
                        buildingRelations.add(id);
                        relationWays.put(id, List.copyOf(members));
                    }
                    element = null;
                }
            }
        }
        Set<Long> complete = new HashSet<>();
        for (Long relation : buildingRelations) {
            if (relationWays.get(relation).stream().allMatch(ways::contains)) {
                complete.add(relation);
            }
        }
        return new Counted(buildingWays, complete, pharmacies);
    }
}
