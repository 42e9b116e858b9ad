package org.caregrid.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregrid.importer.ImportError.Severity;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * GeoJSON: a FeatureCollection streamed feature by feature (large files never sit in memory whole), or
 * newline-delimited GeoJSON (one Feature per line, also with RFC 8142 record separators).
 * Coordinates are WGS84 unless an old-style "crs" member names another EPSG code.
 */
final class GeoJsonSource implements FeatureSource {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build(); // we stream: more follows each feature
    private static final GeometryFactory FACTORY = new GeometryFactory();
    private static final Pattern CRS_EPSG = Pattern.compile("EPSG:{1,2}(?:[\\d.]*:)?(\\d+)$");

    @Override
    public void read(Path file, ImportOptions options, FeatureSink sink) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean lines = name.endsWith(".geojsonl") || name.endsWith(".ndjson") || name.endsWith(".jsonl")
                || name.endsWith(".geojsons") || startsWithSingleFeatureLine(file);
        if (lines) {
            readLines(file, sink);
        } else {
            readCollection(file, sink);
        }
    }

    /** Longest first line examined: a minified FeatureCollection is one line and may be gigabytes. */
    private static final int FIRST_LINE_LIMIT = 4 << 20;

    /** A file whose first line is a complete Feature object is newline-delimited. */
    private static boolean startsWithSingleFeatureLine(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder first = new StringBuilder();
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (first.length() >= FIRST_LINE_LIMIT) {
                    return false;
                }
                first.append((char) c);
            }
            String line = first.toString().replace("\u001e", "").replace("\uFEFF", "").strip();
            if (!line.startsWith("{") || !line.endsWith("}")) {
                return false;
            }
            try {
                JsonNode node = JSON.readTree(line);
                return "Feature".equals(node.path("type").asString(""));
            } catch (JacksonException e) {
                return false;
            }
        }
    }

    private void readLines(Path file, FeatureSink sink) throws IOException {
        sink.declaredCrs(Crs.wgs84());
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String text = line.replace("\u001e", "").replace("\uFEFF", "").strip();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    feature(JSON.readTree(text), lineNumber, sink);
                } catch (JacksonException e) {
                    sink.problem(lineNumber, null, Severity.ERROR, "line " + lineNumber
                            + " is not a complete JSON object (" + e.getOriginalMessage() + ")");
                }
            }
        }
    }

    private void readCollection(Path file, FeatureSink sink) throws IOException {
        long featureNumber = 0;
        boolean crsDeclared = false;
        boolean insideFeature = false;
        try (InputStream in = skipBom(Files.newInputStream(file)); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                sink.problem(0, null, Severity.FATAL, "not a GeoJSON object (expected '{' at the start)");
                return;
            }
            String type = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String property = parser.currentName();
                parser.nextToken();
                switch (property) {
                    case "type" -> type = parser.getString();
                    case "crs" -> {
                        sink.declaredCrs(crsMember(JSON.readTree(parser)));
                        crsDeclared = true;
                    }
                    case "features" -> {
                        if (!crsDeclared) {
                            sink.declaredCrs(Crs.wgs84());
                            crsDeclared = true;
                        }
                        if (parser.currentToken() != JsonToken.START_ARRAY) {
                            sink.problem(0, "features", Severity.FATAL, "'features' is not an array");
                            return;
                        }
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            featureNumber++;
                            insideFeature = true;
                            JsonNode node = JSON.readTree(parser);
                            insideFeature = false;
                            feature(node, featureNumber, sink);
                        }
                    }
                    case "geometry", "properties" -> {
                        // a single Feature file: treat it as a collection of one
                        if (!crsDeclared) {
                            sink.declaredCrs(Crs.wgs84());
                            crsDeclared = true;
                        }
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                sink.problem(featureNumber, null, Severity.FATAL, "malformed GeoJSON after feature " + featureNumber);
            } else if (!"FeatureCollection".equals(type) && featureNumber == 0) {
                sink.problem(0, "type", Severity.FATAL, "not a GeoJSON FeatureCollection (type is '" + type + "')");
            }
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null || at == TokenStreamLocation.NA ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + " (byte " + Math.max(at.getByteOffset(), at.getCharOffset()) + ")";
            long row = insideFeature ? featureNumber : featureNumber + 1;
            sink.problem(row, null, Severity.FATAL, "the GeoJSON is truncated or malformed" + where
                    + " while reading feature " + row + ": " + e.getOriginalMessage());
        }
    }

    private static InputStream skipBom(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, 3);
        byte[] head = new byte[3];
        int n = pushback.readNBytes(head, 0, 3);
        if (!(n == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
            pushback.unread(head, 0, n);
        }
        return pushback;
    }

    private static Crs crsMember(JsonNode crs) {
        String name = crs.path("properties").path("name").asString("");
        Matcher m = CRS_EPSG.matcher(name.toUpperCase(Locale.ROOT).replace("URN:OGC:DEF:CRS:", ""));
        if (m.find()) {
            return Crs.epsg(Integer.parseInt(m.group(1)));
        }
        if (name.toUpperCase(Locale.ROOT).contains("CRS84")) {
            return Crs.wgs84();
        }
        throw new IllegalArgumentException("unknown GeoJSON crs '" + name + "': give the EPSG code");
    }

    private void feature(JsonNode node, long number, FeatureSink sink) {
        if (!"Feature".equals(node.path("type").asString(""))) {
            sink.problem(number, "type", Severity.ERROR, "not a GeoJSON Feature");
            return;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        JsonNode properties = node.path("properties");
        if (properties.isObject()) {
            for (Map.Entry<String, JsonNode> entry : properties.properties()) {
                JsonNode value = entry.getValue();
                attributes.put(entry.getKey(), value.isNull() ? null
                        : value.isNumber() ? (Object) value.numberValue()
                        : value.isBoolean() ? (Object) value.booleanValue()
                        : value.isValueNode() ? value.asString() : value.toString());
            }
        }
        if (node.has("id") && !attributes.containsKey("id")) {
            attributes.put("id", node.get("id").asString());
        }
        Geometry geometry = null;
        JsonNode geometryNode = node.path("geometry");
        if (geometryNode.isObject()) {
            try {
                geometry = geometry(geometryNode);
            } catch (RuntimeException e) {
                sink.problem(number, "geometry", Severity.ERROR, "bad geometry: " + e.getMessage());
                return;
            }
        }
        sink.feature(new SourceFeature(number, attributes, geometry));
    }

    static Geometry geometry(JsonNode node) {
        String type = node.path("type").asString("");
        JsonNode c = node.path("coordinates");
        return switch (type) {
            case "Point" -> FACTORY.createPoint(coordinate(c));
            case "MultiPoint" -> {
                Point[] points = new Point[c.size()];
                for (int i = 0; i < c.size(); i++) {
                    points[i] = FACTORY.createPoint(coordinate(c.get(i)));
                }
                yield FACTORY.createMultiPoint(points);
            }
            case "LineString" -> FACTORY.createLineString(coordinates(c));
            case "MultiLineString" -> {
                LineString[] lines = new LineString[c.size()];
                for (int i = 0; i < c.size(); i++) {
                    lines[i] = FACTORY.createLineString(coordinates(c.get(i)));
                }
                yield FACTORY.createMultiLineString(lines);
            }
            case "Polygon" -> polygon(c);
            case "MultiPolygon" -> {
                Polygon[] polygons = new Polygon[c.size()];
                for (int i = 0; i < c.size(); i++) {
                    polygons[i] = polygon(c.get(i));
                }
                yield FACTORY.createMultiPolygon(polygons);
            }
            case "GeometryCollection" -> {
                JsonNode members = node.path("geometries");
                Geometry[] parts = new Geometry[members.size()];
                for (int i = 0; i < members.size(); i++) {
                    parts[i] = geometry(members.get(i));
                }
                yield FACTORY.createGeometryCollection(parts);
            }
            default -> throw new IllegalArgumentException("unknown geometry type '" + type + "'");
        };
    }

    private static Polygon polygon(JsonNode rings) {
        if (rings.isEmpty()) {
            return FACTORY.createPolygon();
        }
        LinearRing shell = ring(rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i));
        }
        return FACTORY.createPolygon(shell, holes);
    }

    /** Unclosed rings are common in hand-made files: close them rather than reject the feature. */
    private static LinearRing ring(JsonNode node) {
        Coordinate[] coordinates = coordinates(node);
        if (coordinates.length > 0 && !coordinates[0].equals2D(coordinates[coordinates.length - 1])) {
            Coordinate[] closed = java.util.Arrays.copyOf(coordinates, coordinates.length + 1);
            closed[coordinates.length] = coordinates[0].copy();
            coordinates = closed;
        }
        if (coordinates.length < 4) {
            throw new IllegalArgumentException("a polygon ring needs at least 4 positions");
        }
        return FACTORY.createLinearRing(coordinates);
    }

    private static Coordinate[] coordinates(JsonNode array) {
        Coordinate[] coordinates = new Coordinate[array.size()];
        for (int i = 0; i < array.size(); i++) {
            coordinates[i] = coordinate(array.get(i));
        }
        return coordinates;
    }

    private static Coordinate coordinate(JsonNode position) {
        if (position == null || !position.isArray() || position.size() < 2 || !position.get(0).isNumber()
                || !position.get(1).isNumber()) {
            throw new IllegalArgumentException("a position must be [lon, lat]");
        }
        return new Coordinate(position.get(0).doubleValue(), position.get(1).doubleValue());
    }
}
