package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.caregrid.server.CaregridApplication;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Hostile uploads (issue 14): a zip bomb, a chunked body past the limit, a volunteer's upload, a zip without data, and
 * jobs a crash left behind. Each fails in words, leaves no upload on disk, and never leaves a job queued or running.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"caregrid.mode=test", "caregrid.imports.max-upload-size=2MB"})
@DirtiesContext // its own database: give its connections back for the classes after it
class UploadHardeningTest extends ServerTest {

    private static final Duration BOUND = Duration.ofMinutes(3);
    private static final String BOUNDARY = "caregrid-test-boundary";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "upload_hardening");
    }

    @Autowired
    ImportJobs jobs;

    @Autowired
    Environment environment;

    @TempDir
    Path dir;

    @BeforeAll
    void users() {
        jdbc.sql("INSERT INTO admin_area (code, level, name) VALUES ('510100000000', 'city', '成都市')").update();
        user("admin", "ADMIN", null, null, null);
        user("volunteer", "VOLUNTEER", "510100000000", null, null);
    }

    private WebTestClient patient() {
        // the machine may be busy: no call may depend on WebTestClient's 5 s default
        return client.mutate().responseTimeout(Duration.ofMinutes(2)).build();
    }

    @Test
    void aZipBombFailsInWordsWhileMemoryStaysBounded() throws Exception {
        Path bomb = dir.resolve("bomb.zip");
        long csvBytes = 1_500_000_000L;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("residents.csv"));
            zip.write("id,name,kind,lon,lat\n".getBytes(StandardCharsets.US_ASCII));
            // one byte over and over: deflate's best case, about 1000 to 1
            byte[] commas = ",".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < csvBytes; written += commas.length) {
                zip.write(commas);
            }
            zip.closeEntry();
        }
        assertThat(Files.size(bomb)).isBetween(1_000_000L, 2_000_000L);

        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long id = upload(bomb, "facilities");
        Map<String, Object> job = awaitEnd(id);
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("zip bomb (%d bytes holding %d): peak heap %d MB during the upload and job%n",
                Files.size(bomb), csvBytes, peak >> 20);

        assertThat(job).containsEntry("status", "failed");
        assertThat(reasons(job)).singleElement().asString()
                .startsWith("bomb.zip: 'residents.csv' is compressed more than 100 to 1 (")
                .endsWith("as a zip bomb is; refused (caregrid.imports.max-compression-ratio)");
        assertThat(peak).as("peak heap").isLessThan(1L << 30);
        awaitNoUploads();
    }

    @Test
    void aZipWithoutADataFileFailsInWordsInsteadOfStayingQueued() throws Exception {
        Path zip = dir.resolve("notes.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.md"));
            out.write("# only notes".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Map<String, Object> job = awaitEnd(upload(zip, "buildings"));
        assertThat(job).containsEntry("status", "failed").containsEntry("fileName", "notes.zip");
        assertThat(reasons(job)).containsExactly("notes.zip holds no data file (one of .shp, .gpkg, .geojson, .json,"
                + " .geojsonl, .ndjson, .jsonl, .csv, .tsv, .txt, .xlsx, .xlsm, .xls, .osm, .osm.gz, .osm.pbf)");
        awaitNoUploads();
    }

    @Test
    void aChunkedUploadIsCutOffAtTheLimit() throws Exception {
        long jobsBefore = count("SELECT count(*) FROM import_job");
        long total = 50L << 20;
        Answer answer = chunked("admin", total);
        assertThat(answer.status()).isEqualTo(413);
        // 2MB is 2 MiB: 2.1 million bytes
        assertThat(answer.body()).contains("The upload is more than 2.1 MB; uploads may be at most 2.1 MB"
                + " (caregrid.imports.max-upload-size)");
        assertThat(answer.sentWhenAnswered()).as("bytes sent when the answer came").isLessThan(total);
        assertThat(count("SELECT count(*) FROM import_job")).isEqualTo(jobsBefore);
        awaitNoUploads();
    }

    @Test
    void aVolunteersUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
        long total = 220L << 20;
        Answer answer = chunked("volunteer", total);
        assertThat(answer.status()).isEqualTo(403);
        // the access policy refuses it, in words (zh-CN by default) and as a problem
        assertThat(answer.body()).contains("urn:caregrid:problem:forbidden", "只有管理员可以导入数据");
        System.out.printf("volunteer's chunked upload: refused after %d of %d bytes were sent%n",
                answer.sentWhenAnswered(), total);
        assertThat(answer.sentWhenAnswered()).as("bytes sent when the answer came").isLessThan(total);
        assertThat(uploads()).isEmpty();
    }

    @Test
    void jobsACrashLeftQueuedOrRunningAreFailedAtStartUpAndTheirUploadsDeleted() throws Exception {
        long queued = jobs.create("persons", "居民.csv", null, "admin");
        long running = jobs.create("buildings", "楼栋.zip", null, "admin");
        long done = jobs.create("facilities", "ok.csv", null, "admin");
        jdbc.sql("UPDATE import_job SET status = 'running', started_at = now() WHERE id = :id").param("id", running)
                .update();
        jdbc.sql("UPDATE import_job SET status = 'succeeded', finished_at = now() WHERE id = :id").param("id", done)
                .update();
        // they were the jobs of a server that crashed (its runner's lock is gone), not of this live one
        jdbc.sql("UPDATE import_job SET runner = 'crashed.1.0' WHERE id IN (:ids)").param("ids", List.of(queued, running))
                .update();
        Path left = Files.createDirectories(jobs.uploads().resolve("import-crashed.1.0~1")).resolve("upload");
        Files.createDirectories(left);
        Files.writeString(left.resolve("居民.csv"), "姓名,身份证号\n王秀英,11010519491231002X\n");

        // a second server on the same database and data folder: its start-up is the restart after the crash
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(CaregridApplication.class)
                .web(WebApplicationType.NONE)
                .run("--caregrid.mode=test", "--caregrid.db.url=" + environment.getProperty("caregrid.db.url"),
                        "--caregrid.db.user=" + environment.getProperty("caregrid.db.user"),
                        "--caregrid.db.password=" + environment.getProperty("caregrid.db.password"),
                        "--caregrid.home=" + environment.getProperty("caregrid.home"))) {
            assertThat(restarted.isActive()).isTrue();
        }

        assertThat(jobs.status(queued)).containsEntry("status", "failed");
        assertThat(reasons(jobs.status(queued))).containsExactly("interrupted: the server stopped while this job was"
                + " queued; its upload was deleted; import the file again");
        assertThat(jobs.status(running)).containsEntry("status", "failed");
        assertThat(reasons(jobs.status(running))).containsExactly("interrupted: the server stopped while this job was"
                + " running; its upload was deleted; import the file again");
        assertThat(jobs.status(done)).containsEntry("status", "succeeded");
        assertThat(jobs.status(running).get("finishedAt")).isNotNull();
        assertThat(uploads()).isEmpty();
    }

    @Test
    void aJobWhoseFileIsGoneFailsInWords() {
        long id = jobs.create("facilities", "gone.csv", null, "admin");
        ImportJobs.Outcome outcome = jobs.run(id, dir.resolve("gone.csv"), "gone.csv",
                new ImportRequest("facilities", null, null, null), org.caregrid.importer.ImportProgress.NONE);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(jobs.status(id)).containsEntry("status", "failed");
        assertThat(reasons(jobs.status(id))).singleElement().asString().startsWith("cannot read the file");
    }

    // ---- helpers

    private long upload(Path file, String type) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new FileSystemResource(file));
        form.part("type", type);
        Map<String, Object> accepted = patient().post().uri("/api/imports")
                .headers(h -> h.setBasicAuth("admin", Fixtures.PASSWORD))
                .body(BodyInserters.fromMultipartData(form.build())).exchange().expectStatus().isAccepted()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        return ((Number) accepted.get("id")).longValue();
    }

    private Map<String, Object> awaitEnd(long id) {
        await(() -> List.of("succeeded", "failed").contains(jobs.status(id).get("status")), "job " + id + " to end");
        return jobs.status(id);
    }

    private static List<Object> reasons(Map<String, Object> job) {
        return ((List<?>) job.get("errors")).stream().map(e -> ((Map<?, ?>) e).get("reason")).map(Object.class::cast)
                .toList();
    }

    private List<Path> uploads() throws IOException {
        Path uploads = jobs.uploads();
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.toList();
        }
    }

    private void awaitNoUploads() {
        await(() -> {
            try {
                return uploads().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, "the upload folders to be deleted");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + BOUND + " for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private record Answer(int status, String body, long sentWhenAnswered) {
    }

    /**
     * A multipart upload of {@code fileBytes} CSV bytes sent chunked (no Content-Length) over a plain socket; a second
     * thread writes while this one waits for the answer, so an answer that comes before the body ends is seen.
     */
    private Answer chunked(String user, long fileBytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) BOUND.toMillis());
            OutputStream out = socket.getOutputStream();
            String auth = Base64.getEncoder().encodeToString((user + ":" + Fixtures.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            out.write(("POST /api/imports HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    chunk(out, ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nfacilities"
                            + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\""
                            + "\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] rows = "1,a,pharmacy,104.0,30.6\n".repeat(2730).getBytes(StandardCharsets.US_ASCII);
                    while (sent.get() < fileBytes) {
                        chunk(out, rows);
                        sent.addAndGet(rows.length);
                    }
                    chunk(out, ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    // the server answered and closed the connection: the rest is not wanted
                }
            }, "chunked-upload");
            writer.start();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            long sentWhenAnswered = sent.get();
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0 && rest.size() < 100_000; n = in.read(buffer)) {
                rest.write(buffer, 0, n);
                if (rest.toString(StandardCharsets.UTF_8).contains("}")) {
                    break; // the JSON answer is complete
                }
            }
            socket.close();
            writer.join(BOUND.toMillis());
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), rest.toString(StandardCharsets.UTF_8),
                    sentWhenAnswered);
        }
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
