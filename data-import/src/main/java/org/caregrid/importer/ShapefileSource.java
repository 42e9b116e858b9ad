package org.caregrid.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.caregrid.importer.ImportError.Severity;
import org.h2.value.Value;
import org.h2.value.ValueGeometry;
import org.h2.value.ValueNull;
import org.h2gis.functions.io.dbf.internal.DbaseFileHeader;
import org.h2gis.functions.io.shp.internal.SHPDriver;
import org.locationtech.jts.geom.Geometry;

/**
 * ESRI Shapefile through H2GIS's drivers (no database involved): .shp + .shx + .dbf, the CRS from .prj, the text
 * encoding from the option, else .cpg, else guessed from the DBF bytes. Chinese DBF text is read as cp936 (the name
 * H2GIS maps correctly; "GBK" would not be).
 */
final class ShapefileSource implements FeatureSource {

    @Override
    public void read(Path file, ImportOptions options, FeatureSink sink) throws IOException {
        Path prj = sibling(file, "prj");
        Crs declared = null;
        if (prj != null) {
            try {
                declared = Crs.fromPrjFile(prj);
            } catch (IllegalArgumentException e) {
                if (options.crs() == null) {
                    sink.problem(0, null, Severity.FATAL, prj.getFileName() + ": " + e.getMessage());
                    return;
                }
            }
        } else if (options.crs() == null) {
            sink.problem(0, null, Severity.FATAL, file.getFileName() + " has no .prj file, so its coordinate system"
                    + " is unknown: give it (e.g. EPSG:4547 for CGCS2000 3-degree Gauss-Kruger CM 114E, or EPSG:4490"
                    + " for CGCS2000 longitude/latitude)");
            return;
        }
        sink.declaredCrs(declared);
        String encoding = encoding(file, options);
        SHPDriver driver = new SHPDriver();
        try {
            if (encoding != null) {
                driver.initDriverFromFile(file.toFile(), encoding);
            } else {
                driver.initDriverFromFile(file.toFile());
            }
        } catch (IOException | RuntimeException e) {
            sink.problem(0, null, Severity.FATAL, "cannot read the shapefile (is the .shx or .dbf missing?): "
                    + e.getMessage());
            return;
        }
        try {
            DbaseFileHeader header = driver.getDbaseFileHeader();
            int geometryIndex = driver.getGeometryFieldIndex();
            int fieldCount = driver.getFieldCount();
            long rows = driver.getRowCount();
            sink.totalRows(rows);
            for (long r = 0; r < rows; r++) {
                Map<String, Object> attributes = new LinkedHashMap<>();
                Geometry geometry = null;
                try {
                    for (int c = 0; c < fieldCount; c++) {
                        Value value = driver.getField(r, c);
                        if (c == geometryIndex) {
                            geometry = value instanceof ValueGeometry g ? g.getGeometry() : null;
                        } else {
                            int dbfIndex = c < geometryIndex ? c : c - 1;
                            attributes.put(header.getFieldName(dbfIndex), plain(value));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    sink.problem(r + 1, null, Severity.ERROR, "unreadable record: " + e.getMessage());
                    continue;
                }
                sink.feature(new SourceFeature(r + 1, attributes, geometry));
            }
        } finally {
            driver.close();
        }
    }

    private static Object plain(Value value) {
        if (value == null || value == ValueNull.INSTANCE) {
            return null;
        }
        return switch (value.getValueType()) {
            case Value.TINYINT, Value.SMALLINT, Value.INTEGER, Value.BIGINT -> value.getLong();
            case Value.REAL, Value.DOUBLE, Value.NUMERIC, Value.DECFLOAT -> value.getDouble();
            case Value.BOOLEAN -> value.getBoolean();
            default -> value.getString();
        };
    }

    private static String encoding(Path shp, ImportOptions options) throws IOException {
        if (options.charset() != null) {
            String name = options.charset().name();
            return name.equalsIgnoreCase("GBK") || name.equalsIgnoreCase("GB2312") ? "cp936" : name;
        }
        Path cpg = sibling(shp, "cpg");
        if (cpg != null) {
            String fromCpg = TextEncoding.fromCpg(Files.readString(cpg, StandardCharsets.ISO_8859_1));
            if (fromCpg != null) {
                return fromCpg;
            }
        }
        Path dbf = sibling(shp, "dbf");
        if (dbf == null) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(dbf)) {
            bytes = in.readNBytes(1 << 20);
        }
        int languageDriver = bytes.length > 29 ? bytes[29] & 0xFF : 0;
        if (languageDriver == 0x4D || languageDriver == 0x7A) {
            return "cp936"; // language driver ids ArcGIS writes for GBK
        }
        if (languageDriver != 0) {
            return null; // another declared code page: let H2GIS map it
        }
        int headerLength = bytes.length > 10 ? (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8 : bytes.length;
        if (headerLength >= bytes.length) {
            return null;
        }
        byte[] records = java.util.Arrays.copyOfRange(bytes, headerLength, bytes.length);
        return TextEncoding.detect(records, true).name().startsWith("UTF") ? "UTF-8" : "cp936";
    }

    /** The .prj/.cpg/.dbf beside a .shp, matching the base name case-insensitively as Windows tools write them. */
    static Path sibling(Path shp, String extension) throws IOException {
        String name = shp.getFileName().toString();
        String base = name.substring(0, name.lastIndexOf('.'));
        Path dir = shp.toAbsolutePath().getParent();
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().equalsIgnoreCase(base + "." + extension))
                    .findFirst().orElse(null);
        }
    }
}
