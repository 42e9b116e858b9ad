package org.caregrid.server.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.caregrid.importer.AdminArea;
import org.caregrid.importer.Building;
import org.caregrid.importer.Compound;
import org.caregrid.importer.Crs;
import org.caregrid.importer.DataImporter;
import org.caregrid.importer.Facility;
import org.caregrid.importer.FieldMapping;
import org.caregrid.importer.Grid;
import org.caregrid.importer.ImportError;
import org.caregrid.importer.ImportOptions;
import org.caregrid.importer.ImportPhases;
import org.caregrid.importer.ImportProgress;
import org.caregrid.importer.ImportResult;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.MicroOrganisation;
import org.caregrid.importer.OsmData;
import org.caregrid.importer.OsmReader;
import org.caregrid.importer.Person;
import org.caregrid.importer.RecordKind;
import org.caregrid.importer.Unit;
import org.caregrid.importer.Volunteer;
import org.caregrid.server.assignment.Rosters;
import org.caregrid.server.config.CaregridProperties;
import org.caregrid.server.people.IdNumberHasher;
import org.caregrid.server.visit.Ledgers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Import jobs: a row in import_job per file, read with data-import, loaded in one transaction. A file with any
 * ERROR or FATAL problem is rejected before the database is touched; a load the database refuses is rolled back.
 * Either way the job records why, and the data is exactly as before.
 */
@Component
public class ImportJobs {

    /** The share of progress given to reading; loading is the rest. */
    private static final double READ_SHARE = 0.7;

    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);

    /** Why a job that was queued or running when the server stopped is failed at the next start-up. */
    static final String INTERRUPTED = "interrupted: the server stopped while this job was %s; its upload was deleted;"
            + " import the file again";

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final IdNumberHasher hasher;
    private final JsonMapper json;
    private final CaregridProperties properties;
    private final ApplicationEventPublisher events;
    private final Rosters rosters;
    private final Ledgers ledgers;
    private final JobRunner runner;

    ImportJobs(JdbcClient jdbc, DataSource dataSource, IdNumberHasher hasher, JsonMapper json,
               CaregridProperties properties, ApplicationEventPublisher events, Rosters rosters, Ledgers ledgers,
               JobRunner runner) {
        this.runner = runner;
        this.rosters = rosters;
        this.ledgers = ledgers;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.hasher = hasher;
        this.json = json;
        this.properties = properties;
        this.events = events;
    }

    /** Where uploads wait for their job: {@code <home>/uploads/}, one folder per upload. */
    Path uploads() {
        return properties.home().resolve("uploads");
    }

    /** Named after this runner ({@code import-<runner>~<random>}), so that start-up recovery knows whose it is. */
    Path newUploadFolder() throws IOException {
        Path uploads = Files.createDirectories(uploads());
        return Files.createTempDirectory(uploads, "import-" + runner.id() + "~");
    }

    /** The runner an upload folder belongs to, or null for one named otherwise (nobody's: it may go). */
    static String uploadRunner(Path folder) {
        String name = folder.getFileName().toString();
        int end = name.lastIndexOf('~');
        return name.startsWith("import-") && end > "import-".length() ? name.substring("import-".length(), end) : null;
    }

    /**
     * At start-up, a job left queued or running by a runner that is gone (a crash or a stop of this server or of
     * another on the same database, {@link JobRunner}) is failed with words, and that runner's leftover uploads
     * (personal data) are deleted. A live server's jobs and uploads are left alone. One-off commands
     * ({@code admin} mode) skip this.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void recoverInterrupted() {
        if ("admin".equals(properties.mode())) {
            return;
        }
        runner.hold();
        List<Map<String, Object>> stale = jdbc.sql("SELECT id, file_name, status FROM import_job"
                + " WHERE status IN ('queued', 'running') AND runner IS DISTINCT FROM :me"
                + " AND (runner IS NULL OR " + JobRunner.gone("runner") + ") ORDER BY id")
                .param("me", runner.id()).query().listOfRows();
        for (Map<String, Object> job : stale) {
            long id = ((Number) job.get("id")).longValue();
            fail(id, (String) job.get("file_name"), String.format(INTERRUPTED, job.get("status")));
            log.warn("Import job {} ({}) was {} when its server stopped: marked failed", id, job.get("file_name"),
                    job.get("status"));
        }
        if (Files.isDirectory(uploads())) {
            try (Stream<Path> folders = Files.list(uploads())) {
                folders.filter(this::leftBehind).forEach(ImportController::delete);
            } catch (IOException e) {
                log.warn("Could not clear {}: {}", uploads(), e.getMessage());
            }
        }
    }

    /** An upload folder of a runner that is gone (or of none): another live server's stays. */
    private boolean leftBehind(Path folder) {
        String owner = uploadRunner(folder);
        if (owner == null) {
            return true;
        }
        return !owner.equals(runner.id()) && jdbc.sql("SELECT " + JobRunner.gone(":owner")).param("owner", owner)
                .query(Boolean.class).single();
    }

    /**
     * Takes a queued job for this server: true for exactly one of any number of servers (or threads) that try
     * at once, since the update sees the row as another one left it.
     */
    public boolean claim(long jobId) {
        runner.hold();
        return jdbc.sql("""
                        UPDATE import_job SET status = 'running', started_at = now(), runner = :me
                         WHERE id = :id AND status = 'queued'""")
                .param("id", jobId).param("me", runner.id()).update() == 1;
    }

    /** Ends a job as failed with one FATAL error in words; never throws (it runs where everything else failed). */
    public void fail(long jobId, String fileName, String reason) {
        try {
            finish(jobId, false, Map.of(), List.of(new ImportError(fileName, 0, null, ImportError.Severity.FATAL,
                    reason)), 0, System.nanoTime());
        } catch (RuntimeException e) {
            log.error("Could not mark import job {} failed ({})", jobId, reason, e);
        }
    }

    /** Published when a job ends, so that caches of area data (vector tiles) can forget what it changed. */
    public record Finished(long jobId, boolean succeeded) {
    }

    /**
     * What a job ended with; {@code plan} is a roster's or a ledger's ({@link Rosters.Step}, {@link Ledgers.Step}:
     * what it created, left, ended, or would).
     */
    public record Outcome(long jobId, boolean succeeded, Map<String, Long> counts, List<ImportError> errors,
                          long rowsRead, long millis, List<?> plan) {

        /** The plan's steps of one kind. */
        public <S> List<S> steps(Class<S> type) {
            return plan.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    public long create(String type, String fileName, String crs, String createdBy) {
        return create(type, fileName, crs, createdBy, false);
    }

    public long create(String type, String fileName, String crs, String createdBy, boolean dryRun) {
        return jdbc.sql("""
                        INSERT INTO import_job (kind, file_name, crs, created_by, dry_run, runner)
                        VALUES (:kind, :file, :crs, :by, :dry, :runner) RETURNING id""")
                .param("runner", runner.id()).param("kind", type).param("file", fileName).param("crs", crs).param("by", createdBy)
                .param("dry", dryRun).query(Long.class).single();
    }

    /** The job as the API shows it, or null. */
    public Map<String, Object> status(long id) {
        return jdbc.sql("""
                        SELECT id, kind, file_name, crs, status, rows_read, rows_total, progress, counts::text AS counts,
                               errors::text AS errors, plan::text AS plan, dry_run, created_by, created_at,
                               started_at, finished_at
                          FROM import_job WHERE id = :id""")
                .param("id", id)
                .query((rs, n) -> {
                    Map<String, Object> job = new LinkedHashMap<>();
                    job.put("id", rs.getLong("id"));
                    job.put("type", rs.getString("kind"));
                    job.put("fileName", rs.getString("file_name"));
                    job.put("crs", rs.getString("crs"));
                    job.put("status", rs.getString("status"));
                    job.put("rowsRead", rs.getLong("rows_read"));
                    job.put("rowsTotal", rs.getObject("rows_total"));
                    job.put("progress", rs.getDouble("progress"));
                    job.put("counts", json.readValue(rs.getString("counts"), Map.class));
                    job.put("errors", json.readValue(rs.getString("errors"), List.class));
                    job.put("dryRun", rs.getBoolean("dry_run"));
                    job.put("plan", json.readValue(rs.getString("plan"), List.class));
                    job.put("createdBy", rs.getString("created_by"));
                    job.put("createdAt", rs.getObject("created_at", java.time.OffsetDateTime.class));
                    job.put("startedAt", rs.getObject("started_at", java.time.OffsetDateTime.class));
                    job.put("finishedAt", rs.getObject("finished_at", java.time.OffsetDateTime.class));
                    return job;
                })
                .optional().orElse(null);
    }

    /**
     * Runs a created job to its end on the calling thread.
     *
     * @param fileName the name the user knows the file by (errors name it, never the server's temp path)
     * @param listener told of progress as well (the command line's progress bar), or {@link ImportProgress#NONE}
     */
    public Outcome run(long jobId, Path file, String fileName, ImportRequest request, ImportProgress listener) {
        return run(jobId, file, fileName, request, listener, ImportPhases.NONE);
    }

    /** As {@link #run(long, Path, String, ImportRequest, ImportProgress)}, booking its steps to {@code phases}. */
    public Outcome run(long jobId, Path file, String fileName, ImportRequest request, ImportProgress listener,
                       ImportPhases phases) {
        long started = System.nanoTime();
        phases.restart();
        boolean claimed = claim(jobId);
        phases.mark("job.claim");
        if (!claimed) {
            // another server (or thread) runs it, or it ended: its row is theirs to finish
            return new Outcome(jobId, false, Map.of(), List.of(new ImportError(fileName, 0, null,
                    ImportError.Severity.FATAL, "the job was not queued any more: another server runs it, or it ended")),
                    0, 0, List.of());
        }
        ProgressWriter progress = new ProgressWriter(jobId, listener);
        List<ImportError> errors = new ArrayList<>();
        try {
            String scope = request.scopeLabel() != null ? request.scopeLabel() : "the database";
            if (Rosters.handles(request.type())) {
                return runResolved(jobId, file, fileName, request, progress, started, RecordKind.ASSIGNMENTS,
                        entries -> {
                            Rosters.Outcome o = rosters.run(entries, fileName, new Rosters.Options(request.dryRun(),
                                    request.endUnlisted(), scope));
                            return new Resolved(o.plan(), o.errors(), o.counts());
                        });
            }
            if (Ledgers.handles(request.type())) {
                String owner = jdbc.sql("SELECT created_by FROM import_job WHERE id = :id").param("id", jobId)
                        .query(String.class).single();
                return runResolved(jobId, file, fileName, request, progress, started, RecordKind.VISITS,
                        entries -> {
                            Ledgers.Outcome o = ledgers.run(entries, fileName, new Ledgers.Options(request.dryRun(),
                                    scope, owner));
                            return new Resolved(o.plan(), o.errors(), o.counts());
                        });
            }
            String source = request.source() != null ? request.source() : request.osm() ? "osm" : fileName;
            Read read = request.osm() ? readOsm(file, progress, phases)
                    : readFile(file, fileName, request, source, progress);
            errors.addAll(rename(read.errors(), file, fileName));
            if (errors.stream().anyMatch(e -> e.severity() != ImportError.Severity.WARNING)) {
                return finish(jobId, false, Map.of(), errors, read.rowsRead(), started);
            }
            progress.phase(READ_SHARE);
            phases.mark("job.progress");
            RecordLoader.Report report = load(source, fileName, read, phases);
            errors.addAll(report.problems());
            Map<String, Long> counts = new LinkedHashMap<>(report.staged());
            report.changed().forEach((table, n) -> counts.put("changed." + table, n));
            counts.putAll(read.extraCounts());
            log.info("Import job {} ({}): {} rows in {} ms", jobId, fileName, report.stagedTotal(), report.millis());
            Outcome outcome = finish(jobId, true, counts, errors, read.rowsRead(), started);
            phases.mark("job.finish");
            return outcome;
        } catch (LoadException | SQLException | IOException | IllegalArgumentException e) {
            String field = e instanceof LoadException load ? load.field() : null;
            errors.add(new ImportError(fileName, 0, field, ImportError.Severity.FATAL, message(e)));
            return finish(jobId, false, Map.of(), errors, progress.rows.get(), started);
        } catch (RuntimeException | OutOfMemoryError e) {
            // a job must never stay 'running': whatever went wrong is its result, in words
            log.error("Import job {} ({}) stopped unexpectedly", jobId, fileName, e);
            errors.add(new ImportError(fileName, 0, null, ImportError.Severity.FATAL,
                    "the import stopped unexpectedly: " + e));
            return finish(jobId, false, Map.of(), errors, progress.rows.get(), started);
        }
    }

    /** What a reader produced, staged into a loader by {@code stage}; {@code extraCounts} go into the result. */
    private record Read(List<ImportError> errors, long rowsRead, LoaderStep stage, Map<String, Long> extraCounts) {
        Read(List<ImportError> errors, long rowsRead, LoaderStep stage) {
            this(errors, rowsRead, stage, Map.of());
        }
    }

    @FunctionalInterface
    private interface LoaderStep {
        void into(RecordLoader loader);
    }

    private Read readOsm(Path file, ImportProgress progress, ImportPhases phases) {
        OsmData data = OsmReader.read(file, progress, phases);
        // an extract's broken features are skipped with a warning each: the result says how many
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("skipped", (long) data.skipped());
        counts.put("warnings", data.warnings());
        return new Read(data.errors(), data.nodes() + data.ways() + data.relations(), loader -> stageOsm(data, loader),
                counts);
    }

    /** What caregrid takes from an OSM extract: compounds, buildings, entrances (as units) and facilities. */
    public static void stageOsm(OsmData data, RecordLoader loader) {
        data.compounds().forEach(loader::compound);
        data.buildings().forEach(loader::building);
        data.units().forEach(loader::unit);
        data.facilities().forEach(loader::facility);
    }

    /** What {@link Rosters} or {@link Ledgers} made of a file's records: with any error nothing was written. */
    private record Resolved(List<?> plan, List<ImportError> errors, Map<String, Long> counts) {
    }

    /**
     * A roster or a ledger: read, then resolved and written by {@link Rosters} or {@link Ledgers} in the caller's
     * database session (row-level security keeps it to their area), all or nothing. The job keeps the plan, a dry
     * run's as well.
     */
    private <T> Outcome runResolved(long jobId, Path file, String fileName, ImportRequest request,
                                    ProgressWriter progress, long started, RecordKind<T> kind,
                                    Function<List<T>, Resolved> resolve) throws IOException {
        ImportResult<T> result = DataImporter.read(file, kind, options(request, fileName, progress));
        List<ImportError> errors = new ArrayList<>(rename(result.errors(), file, fileName));
        if (errors.stream().anyMatch(e -> e.severity() != ImportError.Severity.WARNING)) {
            return finish(jobId, false, Map.of(), errors, result.rowsRead(), started);
        }
        progress.phase(READ_SHARE);
        Resolved outcome = resolve.apply(result.records());
        errors.addAll(outcome.errors());
        boolean ok = outcome.errors().isEmpty();
        return finish(jobId, ok, ok ? outcome.counts() : Map.of(), errors, result.rowsRead(), started, outcome.plan());
    }

    private static ImportOptions options(ImportRequest request, String source, ImportProgress progress)
            throws IOException {
        ImportOptions options = ImportOptions.defaults().withSource(source).withProgress(progress);
        if (request.crs() != null && !request.crs().isBlank()) {
            options = options.withCrs(Crs.parse(request.crs()));
        }
        if (request.mapping() != null) {
            options = options.withMapping(FieldMapping.load(request.mapping()));
        }
        return options;
    }

    private Read readFile(Path file, String fileName, ImportRequest request, String source, ImportProgress progress)
            throws IOException {
        RecordKind<?> kind = RecordKind.byName(request.type());
        ImportResult<?> result = DataImporter.read(file, kind, options(request, source, progress));
        List<?> records = result.records();
        return new Read(result.errors(), result.rowsRead(), loader -> records.forEach(r -> stage(loader, r)));
    }

    private static void stage(RecordLoader loader, Object record) {
        // one branch per record kind (Java 17: no pattern switch)
        if (record instanceof AdminArea r) {
            loader.adminArea(r);
        } else if (record instanceof Grid r) {
            loader.grid(r);
        } else if (record instanceof Compound r) {
            loader.compound(r);
        } else if (record instanceof Building r) {
            loader.building(r);
        } else if (record instanceof Unit r) {
            loader.unit(r);
        } else if (record instanceof Person r) {
            loader.person(r);
        } else if (record instanceof KeyPersonProfile r) {
            loader.keyPerson(r);
        } else if (record instanceof Volunteer r) {
            loader.volunteer(r);
        } else if (record instanceof Facility r) {
            loader.facility(r);
        } else if (record instanceof MicroOrganisation r) {
            loader.microOrganisation(r);
        } else {
            throw new IllegalArgumentException("cannot load records of type " + record.getClass().getSimpleName());
        }
    }

    private RecordLoader.Report load(String source, String fileName, Read read, ImportPhases phases)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                RecordLoader loader = new RecordLoader(connection, source, fileName, hasher).timed(phases);
                phases.mark("load.setup");
                read.stage().into(loader);
                phases.mark("load.stage");
                RecordLoader.Report report = loader.finish();
                connection.commit();
                phases.mark("load.commit");
                return report;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private Outcome finish(long jobId, boolean ok, Map<String, Long> counts, List<ImportError> errors, long rowsRead,
                           long started) {
        return finish(jobId, ok, counts, errors, rowsRead, started, List.of());
    }

    private Outcome finish(long jobId, boolean ok, Map<String, Long> counts, List<ImportError> errors, long rowsRead,
                           long started, List<?> plan) {
        List<Map<String, Object>> list = errors.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", e.file());
            m.put("row", e.row());
            m.put("field", e.field());
            m.put("severity", e.severity().name());
            m.put("reason", e.reason());
            return m;
        }).toList();
        jdbc.sql("""
                        UPDATE import_job SET status = :status, counts = CAST(:counts AS jsonb),
                               errors = CAST(:errors AS jsonb), plan = CAST(:plan AS jsonb), rows_read = :rows,
                               progress = CASE WHEN :ok THEN 1 ELSE progress END, finished_at = now()
                         WHERE id = :id""")
                .param("status", ok ? "succeeded" : "failed").param("counts", json.writeValueAsString(counts))
                .param("errors", json.writeValueAsString(list)).param("plan", json.writeValueAsString(plan))
                .param("rows", rowsRead).param("ok", ok)
                .param("id", jobId).update();
        events.publishEvent(new Finished(jobId, ok));
        return new Outcome(jobId, ok, counts, errors, rowsRead, (System.nanoTime() - started) / 1_000_000, plan);
    }

    /** Readers name the file they opened (an upload's temp file): errors must name the user's file. */
    private static List<ImportError> rename(List<ImportError> errors, Path file, String fileName) {
        String tempName = file.getFileName().toString();
        return errors.stream().map(e -> tempName.equals(e.file()) || e.file() == null
                ? new ImportError(fileName, e.row(), e.field(), e.severity(), e.reason()) : e).toList();
    }

    private static String message(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : e.toString();
    }

    /** Writes progress to the job row at most twice a second (readers call back every few hundred rows). */
    private final class ProgressWriter implements ImportProgress {
        private final long jobId;
        private final ImportProgress listener;
        private final AtomicLong rows = new AtomicLong();
        private long lastWrite;
        private double phase;

        ProgressWriter(long jobId, ImportProgress listener) {
            this.jobId = jobId;
            this.listener = listener;
        }

        @Override
        public void progress(long rowsRead, long totalRows) {
            rows.set(rowsRead);
            listener.progress(rowsRead, totalRows);
            long now = System.nanoTime();
            if (now - lastWrite < 500_000_000L) {
                return;
            }
            lastWrite = now;
            double share = totalRows > 0 ? READ_SHARE * Math.min(1, rowsRead / (double) totalRows) : 0;
            jdbc.sql("UPDATE import_job SET rows_read = :rows, rows_total = :total, progress = :p WHERE id = :id")
                    .param("rows", rowsRead).param("total", totalRows > 0 ? totalRows : null)
                    .param("p", Math.max(share, phase)).param("id", jobId).update();
        }

        void phase(double value) {
            phase = value;
            jdbc.sql("UPDATE import_job SET progress = :p WHERE id = :id").param("p", value).param("id", jobId).update();
        }
    }
}
