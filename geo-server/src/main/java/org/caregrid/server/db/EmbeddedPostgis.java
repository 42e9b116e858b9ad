package org.caregrid.server.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL + PostGIS cluster made with the installed binaries, on a free loopback
 * port, in a folder of its own. Reused across restarts with its data.
 *
 * <p>{@code initdb} refuses to run as root, so as root the binaries run as the {@code postgres}
 * user. That user cannot enter a root-only home such as {@code /root}; the cluster then lives
 * under {@code /var/lib/caregrid/clusters/}, keyed by the home it belongs to.
 */
public final class EmbeddedPostgis implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgis.class);
    private static final String SUPERUSER = "caregrid";
    public static final String DATABASE = "caregrid";

    private final Path home;
    private final Path clusterDir;
    private final Path dataDir;
    private final Path binDir;
    private final boolean asRoot;
    private int port;
    private String password;
    private boolean running;
    /** Connected to a cluster another process started: never stopped from here. */
    private boolean attached;

    private EmbeddedPostgis(Path home, Path clusterDir, Path binDir, boolean asRoot) {
        this.home = home;
        this.clusterDir = clusterDir;
        this.dataDir = clusterDir.resolve("data");
        this.binDir = binDir;
        this.asRoot = asRoot;
    }

    /** Prepares (but does not start) the cluster that belongs to {@code home}. */
    public static EmbeddedPostgis forHome(Path home) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        Path binDir = findBinDir().orElseThrow(() -> new EmbeddedPostgisException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with:\n"
                        + "    sudo apt-get install postgresql postgresql-15-postgis-3\n"
                        + "or set CAREGRID_DB_URL to use an existing PostGIS database."));
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        try {
            Files.createDirectories(absoluteHome);
        } catch (IOException e) {
            throw new EmbeddedPostgisException("Cannot create the data folder " + absoluteHome + ": " + e.getMessage(), e);
        }
        Path clusterDir = absoluteHome.resolve("postgis");
        if (asRoot && !postgresCanEnter(absoluteHome)) {
            clusterDir = Path.of("/var/lib/caregrid/clusters", shortHash(absoluteHome.toString()));
        }
        return new EmbeddedPostgis(absoluteHome, clusterDir, binDir, asRoot);
    }

    public synchronized EmbeddedPostgis start() {
        if (running) {
            return this;
        }
        try {
            Files.createDirectories(home);
            createClusterDirectory();
            password = readOrCreatePassword();
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initdb();
            }
            stopLeftoverServer();
            port = freeLoopbackPort();
            run(List.of(binDir.resolve("pg_ctl").toString(), "start", "-w", "-t", "60",
                    "-D", dataDir.toString(), "-l", clusterDir.resolve("postgres.log").toString(),
                    "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k '" + clusterDir
                            + "' -c max_connections=60 -c shared_buffers=128MB"));
            running = true;
            ensureDatabaseWithPostgis(DATABASE);
            log.info("Embedded PostGIS running on 127.0.0.1:{} with data in {}", port, dataDir);
            return this;
        } catch (IOException e) {
            throw new EmbeddedPostgisException("Could not start the embedded PostGIS in " + clusterDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * For owners that have no shutdown of their own (tests): stop the server when the JVM exits.
     * The Spring context stops it itself, after its connection pool.
     */
    public EmbeddedPostgis stopOnJvmExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgis-stop"));
        return this;
    }

    /** Stops the server (fast shutdown). Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (!running || attached) {
            return;
        }
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", dataDir.toString()));
            log.info("Embedded PostGIS stopped");
        } catch (RuntimeException | IOException e) {
            log.warn("Stopping the embedded PostGIS failed: {}", e.getMessage());
        } finally {
            running = false;
        }
    }

    public boolean isRunning() {
        return running;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    /**
     * Connects to the cluster when a server of this home already runs it (port from its postmaster.pid), else starts
     * it. {@link #close()} stops it only in the second case, so a backup can be taken under a running server.
     */
    public synchronized EmbeddedPostgis attachOrStart() {
        try {
            if (isClusterRunning()) {
                password = readOrCreatePassword();
                // postmaster.pid: pid, data folder, start time, port, ...
                port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(3).trim());
                attached = true;
                return this;
            }
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedPostgisException("Could not read the running cluster's port in " + dataDir + ": "
                    + e.getMessage(), e);
        }
        return start();
    }

    /** True when a PostgreSQL server runs on this home's data folder (a caregrid server is up, or was killed). */
    public boolean isClusterRunning() throws IOException {
        return Files.exists(dataDir.resolve("postmaster.pid"))
                && execute(List.of(binDir.resolve("pg_ctl").toString(), "status", "-D", dataDir.toString())).exitCode() == 0;
    }

    /** {@code pg_dump -Fc} of the caregrid database into {@code target} (the cluster must be started or attached). */
    public void dump(Path target) throws IOException {
        client(List.of(binDir.resolve("pg_dump").toString(), "-Fc", "--no-password", "-h", "127.0.0.1",
                "-p", String.valueOf(port), "-U", SUPERUSER, "-d", DATABASE), target);
    }

    /**
     * Replaces the caregrid database with the dump in {@code source}: the database is dropped and made anew, empty,
     * and {@code pg_restore} brings back the PostGIS extension, the schema (with Flyway's history) and the rows. Owners
     * and grants are left out, since the roles of the cluster the dump came from need not exist here; the objects
     * belong to this cluster's owner.
     */
    public void restore(Path source) throws IOException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new EmbeddedPostgisException("Could not recreate database " + DATABASE + ": " + e.getMessage(), e);
        }
        client(List.of(binDir.resolve("pg_restore").toString(), "--no-password", "--exit-on-error", "--no-owner",
                "--no-privileges", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", SUPERUSER, "-d", DATABASE,
                source.toAbsolutePath().toString()), null);
    }

    /**
     * Runs a client program (pg_dump, pg_restore) as ourselves over TCP with the password in its environment, not on
     * its command line; its standard output goes to {@code output} when given.
     */
    private void client(List<String> command, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PGPASSWORD", password);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Path errors = Files.createTempFile("caregrid-pg", ".err");
        pb.redirectError(errors.toFile());
        pb.redirectOutput(output != null ? ProcessBuilder.Redirect.to(output.toFile()) : ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = pb.start();
            if (!process.waitFor(6, TimeUnit.HOURS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgisException("Timed out: " + command.get(0));
            }
            if (process.exitValue() != 0) {
                throw new EmbeddedPostgisException(Path.of(command.get(0)).getFileName() + " failed (exit "
                        + process.exitValue() + "): " + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgisException("Interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** Creates the database (if missing) with the PostGIS extension in it. */
    public void ensureDatabaseWithPostgis(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
             Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                exists = rs.next();
            }
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")) {
                if (!rs.next()) {
                    throw new EmbeddedPostgisException("The PostGIS extension is not installed for PostgreSQL "
                            + majorVersion() + ". Install it with:\n    sudo apt-get install postgresql-"
                            + majorVersion() + "-postgis-3");
                }
            }
            if (!exists) {
                s.execute("CREATE DATABASE " + database + " ENCODING 'UTF8' TEMPLATE template0");
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgisException("Could not prepare database " + database + ": " + e.getMessage(), e);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), SUPERUSER, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
        } catch (SQLException e) {
            throw new EmbeddedPostgisException("Could not create the PostGIS extension in " + database + ": " + e.getMessage(), e);
        }
    }

    private String majorVersion() {
        return binDir.getParent().getFileName().toString();
    }

    private void createClusterDirectory() throws IOException {
        Files.createDirectories(clusterDir);
        if (asRoot) {
            run(List.of("chown", "postgres:postgres", clusterDir.toString()));
        }
        Files.setPosixFilePermissions(clusterDir, PosixFilePermissions.fromString("rwx------"));
    }

    private String readOrCreatePassword() throws IOException {
        // Kept beside the caregrid home (readable by its owner only) so restarts find it.
        Path file = home.resolve("postgis-password");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        if (Files.exists(dataDir.resolve("PG_VERSION")) && !clusterDir.startsWith(home)) {
            // a cluster kept outside the home belongs to a home that was deleted: start afresh as that home would
            log.warn("Removing the embedded PostGIS of a deleted data folder: {}", clusterDir);
            stopLeftoverServer();
            run(List.of("rm", "-rf", "--one-file-system", dataDir.toString()));
        }
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            throw new EmbeddedPostgisException("The embedded PostGIS in " + dataDir + " exists but its password file "
                    + file + " is gone. Restore the file, or delete " + clusterDir + " to start with an empty database.");
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String generated = HexFormat.of().formatHex(bytes);
        Files.writeString(file, generated, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return generated;
    }

    private void initdb() throws IOException {
        log.info("Creating the embedded PostGIS cluster in {}", dataDir);
        Path pwfile = clusterDir.resolve("initdb-pwfile");
        Files.writeString(pwfile, password, StandardCharsets.UTF_8);
        try {
            if (asRoot) {
                run(List.of("chown", "postgres:postgres", pwfile.toString()));
            }
            run(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER,
                    "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** A server left running by a process that was killed: stop it so we start on a fresh port. */
    private void stopLeftoverServer() throws IOException {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        ProcessResult status = execute(List.of(binDir.resolve("pg_ctl").toString(), "status", "-D", dataDir.toString()));
        if (status.exitCode() == 0) {
            log.warn("A PostGIS server from an earlier run is still using {}; stopping it", dataDir);
            run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", dataDir.toString()));
        }
    }

    private void run(List<String> command) throws IOException {
        ProcessResult result = execute(command);
        if (result.exitCode() != 0) {
            throw new EmbeddedPostgisException("Command failed (exit " + result.exitCode() + "): "
                    + String.join(" ", command) + "\n" + result.output()
                    + (Files.exists(clusterDir.resolve("postgres.log")) ? "\nSee " + clusterDir.resolve("postgres.log") : ""));
        }
    }

    private ProcessResult execute(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        boolean isPostgresBinary = command.get(0).startsWith(binDir.toString());
        if (asRoot && isPostgresBinary) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        // pg_ctl start leaves the server running: its output must not hold our pipe open.
        Path out = Files.createTempFile("caregrid-pg", ".out");
        pb.redirectOutput(out.toFile());
        Process process = pb.start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgisException("Timed out: " + String.join(" ", full));
            }
            return new ProcessResult(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgisException("Interrupted while running " + String.join(" ", full), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private record ProcessResult(int exitCode, String output) {
    }

    /** The PostgreSQL server binaries, if installed. */
    public static Optional<Path> findBinDir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Optional.of(Path.of(out));
            }
        } catch (IOException e) {
            // no pg_config on the PATH: look in Debian's location below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(bin -> parseVersion(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean postgresCanEnter(Path dir) {
        try {
            Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-x", dir.toString()).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
