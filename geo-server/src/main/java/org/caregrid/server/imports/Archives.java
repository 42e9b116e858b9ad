package org.caregrid.server.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded .zip as a stream, within limits: entries, total unpacked size and compression ratio are checked
 * while the bytes flow, so a zip bomb (a few MB holding GBs) is refused after its first megabytes, never held in memory
 * nor written out whole. Every refusal is an {@link IOException} whose message names the archive and the limit.
 */
final class Archives {

    static final List<String> DATA_EXTENSIONS = List.of(".shp", ".gpkg", ".geojson", ".json", ".geojsonl",
            ".ndjson", ".jsonl", ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".osm", ".osm.gz", ".osm.pbf");

    /** The ratio is judged only past this many unpacked bytes: tiny files compress oddly and harm no one. */
    private static final long RATIO_FLOOR = 1 << 20;

    private Archives() {
    }

    /** The limits of {@code caregrid.imports.*}. */
    record Limits(long maxUnpacked, int maxEntries, int maxRatio) {
        static Limits of(ImportProperties properties) {
            return new Limits(properties.maxUnzippedSize().toBytes(), properties.maxArchiveEntries(),
                    properties.maxCompressionRatio());
        }
    }

    /** Counts the compressed bytes the zip reader has taken from the file. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(n, 0);
            return n;
        }
    }

    /**
     * Unpacks {@code zip} (called {@code zipName} by the user) beside itself and answers its data file, the first by
     * name among {@link #DATA_EXTENSIONS}; a shapefile's .shx/.dbf/.prj/.cpg land beside it. Folders inside the
     * archive are flattened; names that would leave the folder are ignored.
     */
    static Path unzip(Path zip, String zipName, Limits limits) throws IOException {
        Path into = Files.createDirectories(zip.resolveSibling("unzipped"));
        long unpacked = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        try (Counting compressed = new Counting(Files.newInputStream(zip));
             ZipInputStream in = new ZipInputStream(compressed)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (++entries > limits.maxEntries()) {
                    throw new IOException(zipName + " holds more than " + limits.maxEntries()
                            + " entries; an import archive holds one data file and its sidecar files"
                            + " (caregrid.imports.max-archive-entries)");
                }
                Path target = target(into, entry);
                if (target == null) {
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        unpacked += n;
                        if (unpacked > limits.maxUnpacked()) {
                            throw new IOException(String.format(Locale.ROOT, "%s unpacks to more than %.1f MB;"
                                    + " archives may unpack to at most that (caregrid.imports.max-unzipped-size)",
                                    zipName, limits.maxUnpacked() / 1e6));
                        }
                        if (unpacked > RATIO_FLOOR && unpacked > (long) limits.maxRatio() * compressed.count) {
                            throw new IOException(zipName + ": '" + entry.getName() + "' is compressed more than "
                                    + limits.maxRatio() + " to 1 (" + unpacked / 1_000_000 + " MB from "
                                    + compressed.count / 1000 + " kB so far), as a zip bomb is; refused"
                                    + " (caregrid.imports.max-compression-ratio)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw new IOException(zipName + " is not a readable .zip archive: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new IOException(zipName + " is empty or not a .zip archive");
        }
        try (Stream<Path> files = Files.list(into)) {
            return files.filter(f -> DATA_EXTENSIONS.stream().anyMatch(
                            ext -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)))
                    .sorted().findFirst()
                    .orElseThrow(() -> new IOException(zipName + " holds no data file (one of "
                            + String.join(", ", DATA_EXTENSIONS) + ")"));
        }
    }

    /** Where an entry goes, or null for a folder or a name that would leave {@code into}. */
    private static Path target(Path into, ZipEntry entry) {
        if (entry.isDirectory()) {
            return null;
        }
        try {
            Path name = Path.of(entry.getName()).getFileName();
            Path target = name == null ? null : into.resolve(name.toString()).normalize();
            return target != null && target.startsWith(into) && !target.equals(into) ? target : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
