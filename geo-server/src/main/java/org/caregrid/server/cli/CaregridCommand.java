package org.caregrid.server.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.caregrid.server.CaregridApplication;
import org.caregrid.server.security.PasswordChanger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** The command line of the server jar; the launcher script {@code ./caregrid} calls it. */
@Command(name = "caregrid", mixinStandardHelpOptions = true, version = "caregrid 0.1.0",
        description = "GIS server for community care grids (网格化社区关爱服务).",
        subcommands = {CaregridCommand.Serve.class, CaregridCommand.Demo.class, CaregridCommand.SetPassword.class,
                // routing and import benchmarks (cli/BenchCommand)
                BenchCommand.class, CoverageCommands.class,
                // data import
                ImportCommands.Import.class, ImportCommands.ImportOsm.class, ImportCommands.PopulateCommand.class,
                // backups of the embedded PostGIS
                BackupCommands.Backup.class, BackupCommands.Restore.class})
public class CaregridCommand implements Callable<Integer> {

    /** Returned by commands that leave the server running: main must not exit the JVM. */
    public static final int KEEP_RUNNING = -1;

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "serve", description = "Start the server (CAREGRID_DB_URL, CAREGRID_DB_USER, CAREGRID_DB_PASSWORD; "
            + "the embedded PostGIS when no URL is set). Refuses to start while a user has a demo password.")
    static class Serve implements Callable<Integer> {
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            startServer("serve", springArgs);
            return KEEP_RUNNING;
        }
    }

    @Command(name = "demo", description = "Start the server on the embedded PostGIS with the demo district and demo log-ins.")
    static class Demo implements Callable<Integer> {
        @Unmatched
        List<String> springArgs = new ArrayList<>();

        @Override
        public Integer call() {
            startServer("demo", springArgs);
            return KEEP_RUNNING;
        }
    }

    @Command(name = "set-password", description = "Set a user's password (read from the terminal, or from standard input).")
    static class SetPassword implements Callable<Integer> {
        @Parameters(index = "0", description = "the user name")
        String username;

        @Override
        public Integer call() throws IOException {
            String password = readPassword("New password for " + username + ": ");
            SpringApplication app = new SpringApplication(CaregridApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            try (ConfigurableApplicationContext context = app.run("--caregrid.mode=admin")) {
                context.getBean(PasswordChanger.class).change(username, password);
            }
            System.out.println("Password changed for " + username);
            return 0;
        }

        private static String readPassword(String prompt) throws IOException {
            Console console = System.console();
            if (console != null) {
                return new String(console.readPassword(prompt));
            }
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IllegalArgumentException("No password given on standard input");
            }
            return line;
        }
    }

    static void startServer(String mode, List<String> springArgs) {
        List<String> args = new ArrayList<>(springArgs);
        args.add("--caregrid.mode=" + mode);
        SpringApplication.run(CaregridApplication.class, args.toArray(String[]::new));
    }
}
