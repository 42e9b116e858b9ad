package org.caregrid.importer;

import crosby.binary.BinaryParser;
import crosby.binary.Fileformat;
import crosby.binary.Osmformat;
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
import org.caregrid.importer.ImportError.Severity;

/**
 * Reads an OSM extract (.osm, .osm.gz XML 0.6, or .osm.pbf) into buildings ({@code building=*} ways and
 * multipolygon relations, {@code building:levels}, {@code building:flats}, {@code addr:*}), compounds
 * ({@code landuse=residential}), entrances ({@code entrance=*} nodes, as units) and facilities (pharmacies,
 * clinics, doctors, hospitals, social facilities). In errors, "row" is the OSM element id.
 *
 * <p>What spoils the whole file (unreadable, truncated, not OSM, a DTD) is FATAL; what spoils one feature (a way cut
 * at the extract's edge, an unclosed or degenerate outline, a relation with missing members, a node outside the
 * world) is a WARNING naming the feature, which is skipped (counted in {@link OsmData#skipped()}) while the rest is
 * read: real extracts are clipped by a bounding box and always have such features at their edge.
 */
public final class OsmReader {

    private OsmReader() {
    }

    public static OsmData read(Path file) {
        return read(file, ImportProgress.NONE);
    }

    public static OsmData read(Path file, ImportProgress progress) {
        return read(file, progress, ImportPhases.NONE);
    }

    /** As {@link #read(Path, ImportProgress)}, booking the parse, the geometries and the entrances to {@code phases}. */
    public static OsmData read(Path file, ImportProgress progress, ImportPhases phases) {
        String name = file.getFileName().toString();
        OsmCollector collector = new OsmCollector(name, progress);
        phases.restart();
        try {
            parse(file, collector);
        } catch (NotOsm | SafeXml.DtdRefused e) {
            // not OSM, or a DTD refused: the message says so in words
            collector.problem(0, null, Severity.FATAL, e.getMessage());
        } catch (OsmXml.Malformed e) {
            collector.problem(0, null, Severity.FATAL, "the OSM XML is truncated or malformed at line " + e.line() + ": "
                    + e.getMessage());
        } catch (java.io.EOFException e) {
            collector.problem(0, null, Severity.FATAL, "the OSM file is truncated: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            collector.problem(0, null, Severity.FATAL, "cannot read the OSM file: " + e.getMessage());
        }
        phases.mark("osm.parse");
        return collector.build(phases);
    }

    /** The file is XML or PBF but not OpenStreetMap data. */
    static final class NotOsm extends IOException {
        NotOsm(String message) {
            super(message);
        }
    }

    private static void parse(Path file, Sink sink) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pbf")) {
            readPbf(file, sink);
        } else {
            readXml(file, sink);
        }
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

    /** An id or a reference: a number the element cannot do without. */
    private static long id(OsmXml xml, String name) throws OsmXml.Malformed {
        long id = xml.wholeNumber(name, Long.MIN_VALUE);
        if (id == Long.MIN_VALUE) {
            String value = xml.attribute(name);
            throw new OsmXml.Malformed(xml.line(), "<" + xml.name() + "> has " + (value == null ? "no " + name
                    : name + "=\"" + value + "\", which is not a number"));
        }
        return id;
    }

    private static void readXml(Path file, Sink sink) throws IOException {
        try (InputStream in = open(file)) {
            OsmXml xml = new OsmXml(in);
            String element = null;
            boolean root = true;
            long id = 0;
            double lon = 0;
            double lat = 0;
            // most nodes carry no tags: their map is made at the first tag, not per element
            Map<String, String> tags = Map.of();
            long[] refs = new long[64];
            int refCount = 0;
            List<OsmCollector.Member> members = new ArrayList<>();
            for (OsmXml.Event event = xml.next(); event != OsmXml.Event.END_OF_FILE; event = xml.next()) {
                if (event == OsmXml.Event.START) {
                    String local = xml.name();
                    if (root && !local.equals("osm")) {
                        throw new NotOsm("not an OSM XML file: its root element is <" + local + ">, expected <osm>");
                    }
                    root = false;
                    switch (local) {
                        case "node", "way", "relation" -> {
                            element = local;
                            id = id(xml, "id");
                            tags = Map.of();
                            refCount = 0;
                            members.clear();
                            if (local.equals("node")) {
                                // NaN when missing or not a number, so the node counts as outside the world
                                lat = xml.decimal("lat");
                                lon = xml.decimal("lon");
                            }
                        }
                        case "tag" -> {
                            if (tags.isEmpty()) {
                                tags = OsmCollector.newTags();
                            }
                            tags.put(xml.attribute("k"), xml.attribute("v"));
                        }
                        case "nd" -> {
                            if (refCount == refs.length) {
                                refs = java.util.Arrays.copyOf(refs, refs.length * 2);
                            }
                            refs[refCount++] = id(xml, "ref");
                        }
                        case "member" -> {
                            String type = xml.attribute("type");
                            String role = xml.attribute("role");
                            if (type == null || type.isEmpty()) {
                                throw new OsmXml.Malformed(xml.line(), "<member> has no type");
                            }
                            members.add(new OsmCollector.Member(type.charAt(0), id(xml, "ref"), role == null ? "" : role));
                        }
                        default -> { }
                    }
                } else if (xml.name().equals(element)) {
                    switch (element) {
                        case "node" -> sink.node(id, lon, lat, tags);
                        case "way" -> sink.way(id, java.util.Arrays.copyOf(refs, refCount), tags);
                        default -> sink.relation(id, List.copyOf(members), tags);
                    }
                    element = null;
                }
            }
            if (root) {
                throw new NotOsm("not an OSM XML file: it has no <osm> element");
            }
        }
    }

    /** The format's own bounds: a blob header of at most 64 KiB, a blob of at most 32 MiB packed or unpacked. */
    private static final int MAX_BLOB_HEADER = 64 * 1024;
    private static final int MAX_BLOB = 32 * 1024 * 1024;

    /**
     * Reads the blobs one by one (osmpbf's own loop takes an end of file inside a blob for the end of the data, so a
     * truncated file would import in part): a file that ends inside a blob is truncated, sizes beyond the format's
     * bounds mean it is not a PBF, and nothing is inflated past the size its blob declares.
     */
    private static void readPbf(Path file, Sink sink) throws IOException {
        PbfParser parser = new PbfParser(sink);
        boolean first = true;
        try (java.io.DataInputStream in = new java.io.DataInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                int headerSize = b << 24 | in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8
                        | in.readUnsignedByte();
                if (headerSize <= 0 || headerSize > MAX_BLOB_HEADER) {
                    throw new NotOsm("not an OSM PBF file: a blob header of " + headerSize + " bytes");
                }
                Fileformat.BlobHeader header = Fileformat.BlobHeader.parseFrom(readFully(in, headerSize));
                if (header.getDatasize() <= 0 || header.getDatasize() > MAX_BLOB) {
                    throw new NotOsm("not an OSM PBF file: a blob of " + header.getDatasize() + " bytes");
                }
                Fileformat.Blob blob = Fileformat.Blob.parseFrom(readFully(in, header.getDatasize()));
                if (first && !header.getType().equals("OSMHeader")) {
                    throw new NotOsm("not an OSM PBF file: it starts with a '" + header.getType() + "' block");
                }
                first = false;
                byte[] data = unpack(blob);
                if (header.getType().equals("OSMHeader")) {
                    parser.parse(Osmformat.HeaderBlock.parseFrom(data));
                } else if (header.getType().equals("OSMData")) {
                    parser.parse(Osmformat.PrimitiveBlock.parseFrom(data));
                }
            }
        } catch (java.io.EOFException e) {
            throw new java.io.EOFException("the PBF file ends inside a block");
        }
        if (first) {
            throw new NotOsm("not an OSM PBF file: it is empty");
        }
    }

    private static byte[] readFully(java.io.DataInputStream in, int size) throws IOException {
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return bytes;
    }

    private static byte[] unpack(Fileformat.Blob blob) throws IOException {
        if (blob.hasRaw()) {
            return blob.getRaw().toByteArray();
        }
        if (!blob.hasZlibData()) {
            throw new IOException("a PBF blob is compressed in a way other than zlib (e.g. lzma or zstd)");
        }
        if (blob.getRawSize() <= 0 || blob.getRawSize() > MAX_BLOB) {
            throw new IOException("a PBF blob declares " + blob.getRawSize() + " unpacked bytes");
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        try {
            inflater.setInput(blob.getZlibData().toByteArray());
            byte[] data = new byte[blob.getRawSize()];
            int n = inflater.inflate(data);
            if (n != data.length || !inflater.finished()) {
                throw new IOException("a PBF blob unpacks to other than the " + data.length + " bytes it declares");
            }
            return data;
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException("a PBF blob is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /**
     * The ways of an OSM file (XML or PBF) whose tags pass {@code filter}, as lines of {lon, lat} points (nodes missing
     * from the file are left out). Two passes, ways then their nodes, so only the wanted nodes are held: auto-gridding
     * reads arterial roads this way without building the whole extract. The XML is read as hardened as
     * {@link #read}: a DTD, a truncated or a non-OSM file throws an IOException saying so.
     */
    public static List<double[][]> wayLines(Path file, java.util.function.Predicate<Map<String, String>> filter)
            throws IOException {
        Map<Long, long[]> ways = new java.util.LinkedHashMap<>();
        Map<Long, double[]> nodes = new java.util.HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            boolean wayPass = pass == 0;
            try {
                parse(file, new Sink() {
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
                });
            } catch (NotOsm | OsmXml.Malformed | SafeXml.DtdRefused | RuntimeException e) {
                throw new IOException("cannot read the ways of " + file.getFileName() + ": " + e.getMessage(), e);
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

    /** Where parsed elements go: the collector for a full read, a filter for {@link #wayLines}. */
    interface Sink {
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
                Map<String, String> tags = Map.of();
                if (dense.getKeysValsCount() > 0) {
                    while (dense.getKeysVals(keyValue) != 0) {
                        if (tags.isEmpty()) {
                            tags = OsmCollector.newTags();
                        }
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
