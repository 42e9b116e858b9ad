package org.caregrid.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.caregrid.importer.ImportError.Severity;

/**
 * Reads a GeoJSON, CSV, XLSX, Shapefile or GeoPackage file into records of one kind. Never throws for bad content:
 * every problem comes back as an {@link ImportError}; a FATAL one means the file as a whole cannot be imported.
 * OSM files go through {@link OsmReader}.
 */
public final class DataImporter {

    private DataImporter() {
    }

    /** Reads the whole file into memory. */
    public static <T> ImportResult<T> read(Path file, RecordKind<T> kind, ImportOptions options) {
        List<T> records = new ArrayList<>();
        ImportResult<T> summary = stream(file, kind, options, records::add);
        return new ImportResult<>(records, summary.errors(), summary.rowsRead());
    }

    /**
     * Hands each accepted record to {@code sink} as it is read (for files too big to hold); the returned result
     * has no records, only the errors and the row count.
     */
    public static <T> ImportResult<T> stream(Path file, RecordKind<T> kind, ImportOptions options,
                                             Consumer<? super T> sink) {
        String fileName = file.getFileName().toString();
        ImportPipeline<T> pipeline = new ImportPipeline<>(kind, options, fileName, sink);
        try {
            FileFormat.of(file).source().read(file, options, pipeline);
        } catch (IllegalArgumentException e) {
            pipeline.problem(0, null, Severity.FATAL, e.getMessage());
        } catch (IOException | RuntimeException e) {
            pipeline.problem(0, null, Severity.FATAL, "cannot read the file: " + e);
        }
        pipeline.finish();
        return new ImportResult<>(List.of(), pipeline.errors(), pipeline.rowsRead());
    }
}
