package org.caregrid.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.caregrid.server.db.EmbeddedPostgis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code backup FILE} and {@code restore FILE}: the embedded PostGIS's caregrid database as one {@code pg_dump -Fc}
 * file. The ID-number key ({@code <home>/secrets/}) is not in it: keep a copy of that folder apart from the backups.
 */
final class BackupCommands {

    private BackupCommands() {
    }

    /** The data folder as the server finds it: CAREGRID_HOME, else ~/.local/share/caregrid. */
    static Path defaultHome() {
        String env = System.getenv("CAREGRID_HOME");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".local", "share", "caregrid");
    }

    private static void refuseExternal() {
        String url = System.getenv("CAREGRID_DB_URL");
        if (url != null && !url.isBlank()) {
            throw new IllegalArgumentException("CAREGRID_DB_URL is set: back up that database with its own tools"
                    + " (pg_dump -Fc); backup and restore are for the embedded PostGIS");
        }
    }

    /** What both commands take: the data folder and the backup file. */
    abstract static class OnHome {
        @Option(names = "--home", description = "the data folder (default: CAREGRID_HOME)")
        Path home = defaultHome();

        @Parameters(index = "0", description = "the backup file")
        Path file;
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write the embedded PostGIS's caregrid database to FILE (pg_dump custom format). Works while"
                    + " the server runs.")
    static class Backup extends OnHome implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            refuseExternal();
            Path target = file.toAbsolutePath();
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            try (EmbeddedPostgis postgis = EmbeddedPostgis.forHome(home).attachOrStart()) {
                postgis.dump(partial);
                // a backup that stopped half-way must never look like a whole one
                Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            System.out.printf("Backup of %s written to %s (%.1f MB)%n", home.toAbsolutePath(), target,
                    Files.size(target) / 1e6);
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Replace the embedded PostGIS's caregrid database with a backup FILE. Stop the server first.")
    static class Restore extends OnHome implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            refuseExternal();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("No such backup file: " + file);
            }
            EmbeddedPostgis postgis = EmbeddedPostgis.forHome(home);
            if (postgis.isClusterRunning()) {
                throw new IllegalStateException("The database of " + home.toAbsolutePath() + " is in use: stop the"
                        + " caregrid server first, then restore");
            }
            try (EmbeddedPostgis started = postgis.start()) {
                started.restore(file);
            }
            System.out.println("Restored " + file + " into " + home.toAbsolutePath());
            return 0;
        }
    }
}
