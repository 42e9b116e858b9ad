package org.caregrid.server.imports;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.db.DbSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.caregrid.importer.ImportProgress;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.CaregridUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/imports} (multipart: file, type, crs, mapping; for a roster of heads and 包保 also dryRun and
 * endUnlisted; for a visit ledger dryRun) starts a job in the background and answers its id; {@code GET /api/imports/{id}} shows its progress,
 * counts and errors. A shapefile comes as a .zip with its .shx/.dbf/.prj/.cpg beside it.
 *
 * <p>The body is streamed part by part into a folder of the upload's own under {@code <home>/uploads/} (nothing is
 * spooled elsewhere); {@link UploadLimit} has refused those who may import nothing ({@link ImportRights}) and counts
 * the bytes. The folder is deleted when the upload fails, when the job ends however it ends, and at the next start-up
 * after a crash.
 */
@RestController
class ImportController {

    private static final Logger log = LoggerFactory.getLogger(ImportController.class);

    private final ImportJobs jobs;
    private final ImportProperties properties;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;

    ImportController(ImportJobs jobs, ImportProperties properties, JdbcClient jdbc, AuditLog auditLog) {
        this.jobs = jobs;
        this.properties = properties;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
    }

    /** The parts of an upload as they arrive: the file and mapping on disk, the rest as text. */
    private static final class Form {
        String type;
        String crs;
        boolean dryRun;
        boolean endUnlisted;
        String fileName;
        Path file;
        Path mapping;
    }

    @PostMapping(value = "/api/imports", consumes = "multipart/form-data")
    @Requires(Action.IMPORT_ROSTER) // every other type needs IMPORT, checked once the type is known
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Map<String, Object>> upload(@RequestBody Flux<PartEvent> parts, @AuthenticationPrincipal CaregridUser user) {
        return Mono.usingWhen(Db.async(jobs::newUploadFolder),
                dir -> receive(parts, dir).flatMap(form -> Db.async(() -> {
                    ImportRights.require(user, form.type);
                    return start(form, dir, user);
                })),
                dir -> Mono.empty(), // the job owns the folder now and deletes it when it ends
                (dir, error) -> Db.async(() -> delete(dir)),
                dir -> Db.async(() -> delete(dir)));
    }

    private static Mono<Form> receive(Flux<PartEvent> parts, Path dir) {
        Form form = new Form();
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    PartEvent event = first.get();
                    Path target = event instanceof FilePartEvent file ? target(form, file, dir) : null;
                    if (target != null) {
                        return DataBufferUtils.write(events.map(PartEvent::content), target);
                    }
                    if (event instanceof FormPartEvent field) {
                        String value = field.value().strip();
                        if (field.name().equals("type")) {
                            form.type = value;
                        } else if (field.name().equals("crs") && !value.isEmpty()) {
                            form.crs = value;
                        } else if (field.name().equals("dryRun")) {
                            form.dryRun = flag("dryRun", value);
                        } else if (field.name().equals("endUnlisted")) {
                            form.endUnlisted = flag("endUnlisted", value);
                        }
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then();
                }))
                .then(Mono.fromCallable(() -> {
                    if (form.file == null || form.fileName.isBlank()) {
                        throw ApiException.invalid("file", "error.import.noFile");
                    }
                    if (form.type == null || form.type.isBlank()) {
                        throw ApiException.invalid("type", "error.import.noType");
                    }
                    return form;
                }));
    }

    private static boolean flag(String field, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> throw ApiException.invalid(field, "error.import.flag", value);
        };
    }

    /** Where a file part goes: "file" under its own name (no folders), "mapping" beside it; others are dropped. */
    private static Path target(Form form, FilePartEvent part, Path dir) {
        if (part.name().equals("mapping")) {
            form.mapping = dir.resolve("mapping.properties");
            return form.mapping;
        }
        if (!part.name().equals("file")) {
            return null;
        }
        String name = part.filename() == null ? "" : part.filename().replace('\\', '/');
        form.fileName = name.substring(name.lastIndexOf('/') + 1).strip();
        form.file = dir.resolve("upload").resolve(form.fileName.isEmpty() ? "unnamed" : form.fileName);
        try {
            Files.createDirectories(form.file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return form.file;
    }

    private Map<String, Object> start(Form form, Path dir, CaregridUser user) {
        boolean scoped = ImportRights.inCallersScope(form.type);
        ImportRequest request = new ImportRequest(form.type, form.crs, form.mapping, null, form.dryRun,
                form.endUnlisted, scoped ? ImportRights.scopeLabel(jdbc, user) : null);
        long id = jobs.create(form.type, form.fileName, form.crs, user.getUsername(), scoped && form.dryRun);
        // the job outlives the request. An area's files run unscoped, in the administrator's name; a roster or a
        // ledger runs in the caller's own scope, so that it can neither name nor write anything outside it
        DbSession session = scoped ? AccessPolicy.databaseSession(user) : DbSession.systemFor(user.getUsername());
        try {
            Schedulers.boundedElastic().schedule(() -> session
                    .run(() -> runAndClean(id, dir, form.file, form.fileName, request)));
        } catch (RuntimeException e) {
            jobs.fail(id, form.fileName, "the import could not start: " + e.getMessage());
            delete(dir);
        }
        return Map.of("id", id, "status", "/api/imports/" + id);
    }

    @GetMapping("/api/imports/{id}")
    @Requires(Action.IMPORT_ROSTER) // those who import rosters see their own jobs; administrators see all
    Mono<Map<String, Object>> job(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            Map<String, Object> job = jobs.status(id);
            if (job == null || !AccessPolicy.allows(user, Action.IMPORT)
                    && !user.getUsername().equals(job.get("createdBy"))) {
                throw ApiException.notFound("error.import.notFound", id);
            }
            // a plan names persons (a roster's heads and key persons, a ledger's key persons and visitors): each
            // read of it is audited
            List<Long> named = planPersons(job.get("plan"));
            if (!named.isEmpty()) {
                auditLog.personsListed(user, "GET /api/imports/" + id, named, Purpose.ADMIN);
            }
            return job;
        });
    }

    /** The persons a stored plan names (its steps' personId, keyPersonId and visitorId), each once. */
    static List<Long> planPersons(Object plan) {
        if (!(plan instanceof List<?> steps)) {
            return List.of();
        }
        return steps.stream().filter(Map.class::isInstance).map(Map.class::cast)
                .flatMap(step -> Stream.of(step.get("personId"), step.get("keyPersonId"), step.get("visitorId")))
                .filter(Number.class::isInstance).map(n -> ((Number) n).longValue()).distinct().toList();
    }

    /** Runs the job; whatever happens, the job ends failed or succeeded, with words, and the folder is deleted. */
    private void runAndClean(long id, Path dir, Path upload, String fileName, ImportRequest request) {
        try {
            boolean zip = fileName.toLowerCase(Locale.ROOT).endsWith(".zip");
            Path data = zip ? Archives.unzip(upload, fileName, Archives.Limits.of(properties)) : upload;
            jobs.run(id, data, zip ? data.getFileName().toString() : fileName, request, ImportProgress.NONE);
        } catch (IOException e) {
            jobs.fail(id, fileName, e.getMessage());
        } catch (RuntimeException | Error e) {
            log.error("Import job {} failed unexpectedly", id, e);
            jobs.fail(id, fileName, "the import stopped unexpectedly: " + e);
        } finally {
            delete(dir);
        }
    }

    static boolean delete(Path dir) {
        if (!Files.exists(dir)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the upload folder {}: {}", dir, e.getMessage());
        }
        return true;
    }
}
