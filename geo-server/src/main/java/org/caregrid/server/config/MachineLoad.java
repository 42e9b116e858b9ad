package org.caregrid.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks print beside their figures: timings mean little without the machine's load. */
public final class MachineLoad {

    private MachineLoad() {
    }

    /** The load averages over 1, 5 and 15 minutes and the running/total tasks, as /proc/loadavg gives them. */
    public static String now() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (no /proc/loadavg)";
        }
    }
}
