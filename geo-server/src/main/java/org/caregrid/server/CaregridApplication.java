package org.caregrid.server;

import org.caregrid.server.cli.CaregridCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import picocli.CommandLine;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CaregridApplication {

    public static void main(String[] args) {
        int exitCode = new CommandLine(new CaregridCommand()).execute(args);
        // serve and demo leave the web server running; everything else ends here
        if (exitCode != CaregridCommand.KEEP_RUNNING) {
            System.exit(exitCode);
        }
    }
}
