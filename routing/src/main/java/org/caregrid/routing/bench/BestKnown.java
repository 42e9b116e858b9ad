package org.caregrid.routing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The best-known cost from a CVRPLIB/Solomon {@code .sol} file: its {@code Cost N} line. */
public final class BestKnown {
    private BestKnown() {
    }

    public static double cost(Path solutionFile) throws IOException {
        List<String> lines = Files.readAllLines(solutionFile);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).trim();
            if (line.regionMatches(true, 0, "Cost", 0, 4)) {
                return Double.parseDouble(line.substring(4).trim());
            }
        }
        throw new IOException(solutionFile + ": no 'Cost N' line");
    }
}
