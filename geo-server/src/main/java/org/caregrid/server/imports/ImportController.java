package org.caregrid.server.imports;

import org.caregrid.server.db.DbSession;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/imports} (multipart: file, type, crs, mapping; administrators only) starts a job in the
 * background and answers its id; {@code GET /api/imports/{id}} shows its progress, counts and errors. A shapefile
 * comes as a .zip with its .shx/.dbf/.prj/.cpg beside it.
 */
@RestController
class ImportController {

    private static final Logger log = LoggerFactory.getLogger(ImportController.class);
    private static final List<String> DATA_EXTENSIONS = List.of(".shp", ".gpkg", ".geojson", ".json", ".geojsonl",
            ".ndjson", ".jsonl", ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".osm", ".osm.gz", ".osm.pbf");

    private final ImportJobs jobs;
    private final ImportProperties properties;

    ImportController(ImportJobs jobs, ImportProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    @PostMapping(value = "/api/imports", consumes = "multipart/form-data")
    @Requires(Action.IMPORT)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Map<String, Object>> upload(@RequestPart("file") FilePart file,
                                     @RequestPart("type") String type,
                                     @RequestPart(value = "crs", required = false) String crs,
                                     @RequestPart(value = "mapping", required = false) FilePart mapping,
                                     @AuthenticationPrincipal CaregridUser user) {
        long limit = properties.maxUploadSize().toBytes();
        String fileName = Path.of(file.filename()).getFileName().toString();
        ImportRequest what = new ImportRequest(type.trim(), crs == null || crs.isBlank() ? null : crs.trim(), null, null);
        return Db.async(() -> Files.createTempDirectory("caregrid-import-"))
                .flatMap(dir -> file.transferTo(dir.resolve(fileName))
                        .then(mapping == null ? Mono.empty() : mapping.transferTo(dir.resolve("mapping.properties")))
                        .then(Db.async(() -> {
                            Path upload = dir.resolve(fileName);
                            long size = Files.size(upload);
                            if (size > limit) {
                                delete(dir);
                                throw tooLarge(fileName, size, limit);
                            }
                            ImportRequest withMapping = mapping == null ? what
                                    : new ImportRequest(what.type(), what.crs(), dir.resolve("mapping.properties"), null);
                            long id = jobs.create(what.type(), fileName, what.crs(), user.getUsername());
                            // the job outlives the request: it runs unscoped, in the administrator's name
                            Schedulers.boundedElastic().schedule(() -> DbSession.systemFor(user.getUsername())
                                    .run(() -> runAndClean(id, dir, upload, fileName, withMapping)));
                            return Map.<String, Object>of("id", id, "status", "/api/imports/" + id);
                        })));
    }

    @GetMapping("/api/imports/{id}")
    @Requires(Action.IMPORT)
    Mono<Map<String, Object>> job(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            Map<String, Object> job = jobs.status(id);
            if (job == null) {
                throw ApiException.notFound("error.import.notFound", id);
            }
            return job;
        });
    }

    private void runAndClean(long id, Path dir, Path upload, String fileName, ImportRequest request) {
        try {
            Path data = upload.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip") ? unzip(upload) : upload;
            jobs.run(id, data, data == upload ? fileName : data.getFileName().toString(), request, ImportProgress.NONE);
        } catch (RuntimeException | IOException e) {
            log.error("Import job {} failed unexpectedly", id, e);
        } finally {
            delete(dir);
        }
    }

    /** The first data file in the archive; its sidecar files (.shx, .dbf, .prj, .cpg) land beside it. */
    static Path unzip(Path zip) throws IOException {
        Path into = Files.createDirectories(zip.resolveSibling("unzipped"));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(Path.of(entry.getName()).getFileName().toString()).normalize();
                if (!entry.isDirectory() && target.startsWith(into)) {
                    copy(in, target);
                }
            }
        }
        try (Stream<Path> files = Files.list(into)) {
            return files.filter(f -> DATA_EXTENSIONS.stream().anyMatch(
                            ext -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)))
                    .sorted().findFirst()
                    .orElseThrow(() -> new IOException(zip.getFileName() + " holds no data file (one of "
                            + DATA_EXTENSIONS + ")"));
        }
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ApiException tooLarge(String fileName, long size, long limit) {
        return ApiException.tooLarge("error.text", UploadLimit.describe(fileName, size, limit));
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
