package org.caregrid.importer;

import crosby.binary.BinaryParser;
import crosby.binary.Osmformat;
import crosby.binary.file.BlockInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.caregrid.importer.ImportError.Severity;

/**
 * Reads an OSM extract (.osm, .osm.gz XML 0.6, or .osm.pbf) into buildings ({@code building=*} ways and
 * multipolygon relations, {@code building:levels}, {@code building:flats}, {@code addr:*}), compounds
 * ({@code landuse=residential}), entrances ({@code entrance=*} nodes, as units) and facilities (pharmacies,
 * clinics, doctors, hospitals, social facilities). In errors, "row" is the OSM element id.
 */
public final class OsmReader {

    private OsmReader() {
    }

    public static OsmData read(Path file) {
        return read(file, ImportProgress.NONE);
    }

    public static OsmData read(Path file, ImportProgress progress) {
        String name = file.getFileName().toString();
        OsmCollector collector = new OsmCollector(name, progress);
        try {
            if (name.toLowerCase(Locale.ROOT).endsWith(".pbf")) {
                readPbf(file, collector);
            } else {
                readXml(file, collector);
            }
        } catch (IOException | XMLStreamException | RuntimeException e) {
            collector.problem(0, null, Severity.FATAL, "cannot read the OSM file: " + e.getMessage());
        }
        return collector.build();
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        // gzip by its magic bytes, whatever the file is called
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static void readXml(Path file, OsmCollector collector) throws IOException, XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = open(file)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                String element = null;
                long id = 0;
                double lon = 0;
                double lat = 0;
                Map<String, String> tags = OsmCollector.newTags();
                List<Long> refs = new ArrayList<>();
                List<OsmCollector.Member> members = new ArrayList<>();
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        String local = xml.getLocalName();
                        switch (local) {
                            case "node", "way", "relation" -> {
                                element = local;
                                id = Long.parseLong(xml.getAttributeValue(null, "id"));
                                tags = OsmCollector.newTags();
                                refs.clear();
                                members.clear();
                                if (local.equals("node")) {
                                    lat = Double.parseDouble(xml.getAttributeValue(null, "lat"));
                                    lon = Double.parseDouble(xml.getAttributeValue(null, "lon"));
                                }
                            }
                            case "tag" -> tags.put(xml.getAttributeValue(null, "k"), xml.getAttributeValue(null, "v"));
                            case "nd" -> refs.add(Long.parseLong(xml.getAttributeValue(null, "ref")));
                            case "member" -> {
                                String type = xml.getAttributeValue(null, "type");
                                String role = xml.getAttributeValue(null, "role");
                                members.add(new OsmCollector.Member(type.charAt(0),
                                        Long.parseLong(xml.getAttributeValue(null, "ref")), role == null ? "" : role));
                            }
                            default -> { }
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals(element)) {
                        switch (element) {
                            case "node" -> collector.node(id, lon, lat, tags);
                            case "way" -> collector.way(id, refs.stream().mapToLong(Long::longValue).toArray(), tags);
                            default -> collector.relation(id, List.copyOf(members), tags);
                        }
                        element = null;
                    }
                }
            } catch (XMLStreamException e) {
                collector.problem(0, null, Severity.FATAL, "the OSM XML is truncated or malformed at line "
                        + (e.getLocation() == null ? "?" : e.getLocation().getLineNumber()) + ": " + e.getMessage());
            } finally {
                xml.close();
            }
        }
    }

    private static void readPbf(Path file, OsmCollector collector) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            new BlockInputStream(new BufferedInputStream(in, 1 << 16), new PbfParser(new Sink() {
                @Override
                public void node(long id, double lon, double lat, Map<String, String> tags) {
                    collector.node(id, lon, lat, tags);
                }

                @Override
                public void way(long id, long[] refs, Map<String, String> tags) {
                    collector.way(id, refs, tags);
                }

                @Override
                public void relation(long id, List<OsmCollector.Member> members, Map<String, String> tags) {
                    collector.relation(id, members, tags);
                }
            })).process();
        }
    }

    /**
     * The ways of a PBF file whose tags pass {@code filter}, as lines of {lon, lat} points (nodes missing from the
     * file are left out). Two passes, ways then their nodes, so only the wanted nodes are held: auto-gridding reads
     * arterial roads this way without building the whole extract.
     */
    public static List<double[][]> pbfWayLines(Path file, java.util.function.Predicate<Map<String, String>> filter)
            throws IOException {
        Map<Long, long[]> ways = new java.util.LinkedHashMap<>();
        Map<Long, double[]> nodes = new java.util.HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            boolean wayPass = pass == 0;
            try (InputStream in = Files.newInputStream(file)) {
                new BlockInputStream(new BufferedInputStream(in, 1 << 16), new PbfParser(new Sink() {
                    @Override
                    public void node(long id, double lon, double lat, Map<String, String> tags) {
                        if (!wayPass && nodes.containsKey(id)) {
                            nodes.put(id, new double[] {lon, lat});
                        }
                    }

                    @Override
                    public void way(long id, long[] refs, Map<String, String> tags) {
                        if (wayPass && filter.test(tags)) {
                            ways.put(id, refs);
                        }
                    }

                    @Override
                    public void relation(long id, List<OsmCollector.Member> members, Map<String, String> tags) {
                    }
                })).process();
            }
            if (wayPass) {
                ways.values().forEach(refs -> {
                    for (long ref : refs) {
                        nodes.put(ref, null);
                    }
                });
            }
        }
        List<double[][]> lines = new ArrayList<>();
        for (long[] refs : ways.values()) {
            List<double[]> points = new ArrayList<>();
            for (long ref : refs) {
                if (nodes.get(ref) != null) {
                    points.add(nodes.get(ref));
                }
            }
            lines.add(points.toArray(double[][]::new));
        }
        return lines;
    }

    /** Where decoded PBF elements go: the collector for a full read, a filter for {@link #pbfWayLines}. */
    private interface Sink {
        void node(long id, double lon, double lat, Map<String, String> tags);

        void way(long id, long[] refs, Map<String, String> tags);

        void relation(long id, List<OsmCollector.Member> members, Map<String, String> tags);
    }

    /** Decodes PBF blocks (delta-coded ids and coordinates, string tables) into sink calls. */
    private static final class PbfParser extends BinaryParser {
        private final Sink collector;

        PbfParser(Sink collector) {
            this.collector = collector;
        }

        @Override
        protected void parseNodes(List<Osmformat.Node> nodes) {
            for (Osmformat.Node node : nodes) {
                Map<String, String> tags = OsmCollector.newTags();
                for (int i = 0; i < node.getKeysCount(); i++) {
                    tags.put(getStringById(node.getKeys(i)), getStringById(node.getVals(i)));
                }
                collector.node(node.getId(), parseLon(node.getLon()), parseLat(node.getLat()), tags);
            }
        }

        @Override
        protected void parseDense(Osmformat.DenseNodes dense) {
            long id = 0;
            long lat = 0;
            long lon = 0;
            int keyValue = 0;
            for (int i = 0; i < dense.getIdCount(); i++) {
                id += dense.getId(i);
                lat += dense.getLat(i);
                lon += dense.getLon(i);
                Map<String, String> tags = OsmCollector.newTags();
                if (dense.getKeysValsCount() > 0) {
                    while (dense.getKeysVals(keyValue) != 0) {
                        tags.put(getStringById(dense.getKeysVals(keyValue)),
                                getStringById(dense.getKeysVals(keyValue + 1)));
                        keyValue += 2;
                    }
                    keyValue++;
                }
                collector.node(id, parseLon(lon), parseLat(lat), tags);
            }
        }

        @Override
        protected void parseWays(List<Osmformat.Way> ways) {
            for (Osmformat.Way way : ways) {
                Map<String, String> tags = OsmCollector.newTags();
                for (int i = 0; i < way.getKeysCount(); i++) {
                    tags.put(getStringById(way.getKeys(i)), getStringById(way.getVals(i)));
                }
                long[] refs = new long[way.getRefsCount()];
                long ref = 0;
                for (int i = 0; i < refs.length; i++) {
                    ref += way.getRefs(i);
                    refs[i] = ref;
                }
                collector.way(way.getId(), refs, tags);
            }
        }

        @Override
        protected void parseRelations(List<Osmformat.Relation> relations) {
            for (Osmformat.Relation relation : relations) {
                Map<String, String> tags = OsmCollector.newTags();
                for (int i = 0; i < relation.getKeysCount(); i++) {
                    tags.put(getStringById(relation.getKeys(i)), getStringById(relation.getVals(i)));
                }
                List<OsmCollector.Member> members = new ArrayList<>();
                long ref = 0;
                for (int i = 0; i < relation.getMemidsCount(); i++) {
                    ref += relation.getMemids(i);
                    char type = switch (relation.getTypes(i)) {
                        case NODE -> 'n';
                        case WAY -> 'w';
                        case RELATION -> 'r';
                    };
                    members.add(new OsmCollector.Member(type, ref, getStringById(relation.getRolesSid(i))));
                }
                collector.relation(relation.getId(), members, tags);
            }
        }

        @Override
        protected void parse(Osmformat.HeaderBlock header) {
            for (String feature : header.getRequiredFeaturesList()) {
                if (!feature.equals("OsmSchema-V0.6") && !feature.equals("DenseNodes")) {
                    throw new IllegalStateException("the PBF needs an unsupported feature: " + feature);
                }
            }
        }

        @Override
        public void complete() {
            // all elements delivered; the collector resolves geometry in build()
        }
    }
}
