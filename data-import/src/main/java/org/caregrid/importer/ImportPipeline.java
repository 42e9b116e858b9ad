package org.caregrid.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.caregrid.importer.ImportError.Severity;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/** Turns source features into records of one kind: mapping, CRS conversion, checks, duplicates, progress. */
final class ImportPipeline<T> implements FeatureSink {

    private static final int PROGRESS_EVERY = 500;

    private final RecordKind<T> kind;
    private final ImportOptions options;
    private final String fileName;
    private final Consumer<? super T> output;
    private final List<ImportError> errors = new ArrayList<>();
    private final Map<String, Long> firstRowByExternalId = new HashMap<>();
    private final Map<Set<String>, Map<String, String>> resolvedFields = new HashMap<>();
    private Crs crs;
    private long total = -1;
    private long rowsRead;

    ImportPipeline(RecordKind<T> kind, ImportOptions options, String fileName, Consumer<? super T> output) {
        this.kind = kind;
        this.options = options;
        this.fileName = fileName;
        this.output = output;
        this.crs = options.crs();
    }

    String sourceName() {
        return options.source() != null ? options.source() : fileName;
    }

    FieldMapping mapping() {
        return options.mapping();
    }

    List<ImportError> errors() {
        return errors;
    }

    long rowsRead() {
        return rowsRead;
    }

    boolean isFatal() {
        return errors.stream().anyMatch(e -> e.severity() == Severity.FATAL);
    }

    @Override
    public void declaredCrs(Crs declared) {
        if (options.crs() == null) {
            crs = declared;
        } else if (declared != null && !declared.name().equals(options.crs().name())) {
            problem(0, null, Severity.WARNING, "the file declares " + declared + " but " + options.crs()
                    + " was given; using " + options.crs());
        }
    }

    @Override
    public void totalRows(long totalRows) {
        this.total = totalRows;
    }

    @Override
    public void problem(long row, String field, Severity severity, String reason) {
        errors.add(new ImportError(fileName, row, field, severity, reason));
    }

    @Override
    public void feature(SourceFeature feature) {
        rowsRead++;
        Map<String, String> fields = resolvedFields.computeIfAbsent(Set.copyOf(feature.attributes().keySet()),
                keys -> options.mapping().resolve(feature.attributes().keySet()));
        Row row = new Row(this, feature, fields);
        T record = kind.map(row);
        if (record != null && !row.isRejected()) {
            String id = kind.externalId(record);
            Long first = id == null ? null : firstRowByExternalId.putIfAbsent(id, feature.number());
            if (first != null) {
                problem(feature.number(), row.sourceField(FieldMapping.EXTERNAL_ID), Severity.ERROR,
                        "duplicate " + kind.idName() + " '" + kind.shownId(record) + "' (first at row " + first + ")");
            } else {
                output.accept(record);
            }
        }
        if (rowsRead % PROGRESS_EVERY == 0) {
            options.progress().progress(rowsRead, total);
        }
    }

    void finish() {
        options.progress().progress(rowsRead, total < 0 ? rowsRead : total);
    }

    /**
     * Converts a row's geometry to WGS84. A point that lands outside the check area but inside it once x and y are
     * exchanged had its latitude and longitude swapped: it is swapped back with a warning.
     */
    Geometry toWgs84(Row row, Geometry source, String field) {
        Crs from = crs != null ? crs : Crs.wgs84();
        Envelope area = Row.checkArea(options.declaredArea());
        Geometry converted;
        try {
            converted = from.toWgs84(source);
        } catch (RuntimeException e) {
            row.reject(field, "coordinates cannot be converted from " + from + ": " + e.getMessage());
            return null;
        }
        Coordinate centre = converted.getEnvelopeInternal().centre();
        if (area.contains(centre)) {
            return converted;
        }
        Geometry swapped = swapXy(source);
        try {
            Geometry swappedConverted = from.toWgs84(swapped);
            if (area.contains(swappedConverted.getEnvelopeInternal().centre())) {
                Coordinate c = swappedConverted.getEnvelopeInternal().centre();
                row.warn(field, String.format("latitude and longitude are swapped; read as lon %.6f, lat %.6f",
                        c.x, c.y));
                return swappedConverted;
            }
        } catch (RuntimeException ignored) {
            // the swapped reading is not a valid position either: fall through to the plain checks
        }
        if (Math.abs(centre.y) > 90 || Math.abs(centre.x) > 180 || Double.isNaN(centre.x)) {
            row.reject(field, String.format("coordinates out of range (%s, %s) in %s", centre.x, centre.y, from));
            return null;
        }
        if (options.declaredArea() != null) {
            row.warn(field, String.format("location (lon %.6f, lat %.6f) is outside the declared area", centre.x,
                    centre.y));
        }
        return converted;
    }

    private static Geometry swapXy(Geometry geometry) {
        Geometry copy = geometry.copy();
        copy.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                double x = seq.getX(i);
                seq.setOrdinate(i, 0, seq.getY(i));
                seq.setOrdinate(i, 1, x);
            }

            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public boolean isGeometryChanged() {
                return true;
            }
        });
        return copy;
    }
}
