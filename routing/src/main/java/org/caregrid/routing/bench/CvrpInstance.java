package org.caregrid.routing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CVRPLIB instance in TSPLIB format with {@code EDGE_WEIGHT_TYPE : EUC_2D}: distances are Euclidean rounded to the
 * nearest integer (TSPLIB nint). Node 0 here is the depot; the file's 1-based ids are shifted to 0-based.
 *
 * @param minVehicles the k in names like {@code A-n32-k5}, when present
 */
public record CvrpInstance(String name, int capacity, double[] x, double[] y, int[] demand, int depot,
                           OptionalInt minVehicles) {

    private static final Pattern VEHICLES_IN_NAME = Pattern.compile("-k(\\d+)");

    public int dimension() {
        return x.length;
    }

    public long distance(int i, int j) {
        return Math.round(Math.hypot(x[i] - x[j], y[i] - y[j]));
    }

    public long[][] distanceMatrix() {
        long[][] d = new long[dimension()][dimension()];
        for (int i = 0; i < d.length; i++) {
            for (int j = 0; j < d.length; j++) {
                d[i][j] = distance(i, j);
            }
        }
        return d;
    }

    public static CvrpInstance read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.vrp$", "");
        int dimension = -1;
        int capacity = -1;
        double[] x = null;
        double[] y = null;
        int[] demand = null;
        int depot = 0;
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.trim();
            if (line.isEmpty() || line.equals("EOF")) {
                continue;
            }
            if (line.contains(":")) {
                String key = line.substring(0, line.indexOf(':')).trim().toUpperCase(Locale.ROOT);
                String value = line.substring(line.indexOf(':') + 1).trim();
                switch (key) {
                    case "NAME" -> name = value;
                    case "DIMENSION" -> dimension = Integer.parseInt(value);
                    case "CAPACITY" -> capacity = Integer.parseInt(value);
                    case "EDGE_WEIGHT_TYPE" -> {
                        if (!value.equals("EUC_2D")) {
                            throw new IOException(file + ": only EUC_2D is supported, found " + value);
                        }
                    }
                    default -> {
                        // TYPE, COMMENT: nothing to read
                    }
                }
                continue;
            }
            if (line.endsWith("SECTION")) {
                section = line;
                if (dimension <= 0) {
                    throw new IOException(file + ": DIMENSION must come before " + line);
                }
                if (x == null) {
                    x = new double[dimension];
                    y = new double[dimension];
                    demand = new int[dimension];
                }
                continue;
            }
            String[] f = line.split("\\s+");
            switch (section) {
                case "NODE_COORD_SECTION" -> {
                    int id = Integer.parseInt(f[0]) - 1;
                    x[id] = Double.parseDouble(f[1]);
                    y[id] = Double.parseDouble(f[2]);
                }
                case "DEMAND_SECTION" -> demand[Integer.parseInt(f[0]) - 1] = Integer.parseInt(f[1]);
                case "DEPOT_SECTION" -> {
                    int id = Integer.parseInt(f[0]);
                    if (id > 0) {
                        depot = id - 1;
                    }
                }
                default -> throw new IOException(file + ": unexpected line outside a section: " + line);
            }
        }
        if (x == null || capacity <= 0) {
            throw new IOException(file + ": missing DIMENSION, CAPACITY or NODE_COORD_SECTION");
        }
        Matcher m = VEHICLES_IN_NAME.matcher(name);
        OptionalInt k = m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        return new CvrpInstance(name.trim(), capacity, x, y, demand, depot, k);
    }

    /** The customers (every node but the depot). */
    public List<Integer> customers() {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < dimension(); i++) {
            if (i != depot) {
                list.add(i);
            }
        }
        return list;
    }
}
