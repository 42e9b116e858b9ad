package org.caregrid.routing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Solomon (1987) VRPTW instance: vehicle count and capacity, then one row per customer
 * (number, x, y, demand, ready time, due date, service time); customer 0 is the depot.
 * Travel time equals Euclidean distance.
 */
public record SolomonInstance(String name, int vehicles, int capacity, double[] x, double[] y, int[] demand,
                              int[] ready, int[] due, int[] service) {

    public int dimension() {
        return x.length;
    }

    public double distance(int i, int j) {
        return Math.hypot(x[i] - x[j], y[i] - y[j]);
    }

    /**
     * The distance in units of 1/scale, truncated: with scale 10 the convention of the Solomon best-known costs
     * (distances and travel times cut to one decimal).
     */
    public long truncatedDistance(int i, int j, int scale) {
        return (long) Math.floor(distance(i, j) * scale + 1e-9);
    }

    public static SolomonInstance read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
        String name = lines.get(0);
        int vehicles = -1;
        int capacity = -1;
        List<int[]> rows = new ArrayList<>();
        List<double[]> coords = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("NUMBER")) {
                String[] f = lines.get(++i).split("\\s+");
                vehicles = Integer.parseInt(f[0]);
                capacity = Integer.parseInt(f[1]);
            } else if (Character.isDigit(line.charAt(0))) {
                String[] f = line.split("\\s+");
                if (f.length < 7) {
                    throw new IOException(file + ": customer row with fewer than 7 fields: " + line);
                }
                coords.add(new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[2])});
                rows.add(new int[]{Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                        Integer.parseInt(f[6])});
            }
        }
        if (vehicles <= 0 || rows.isEmpty()) {
            throw new IOException(file + ": no VEHICLE section or no customers");
        }
        int n = rows.size();
        double[] x = new double[n];
        double[] y = new double[n];
        int[] demand = new int[n];
        int[] ready = new int[n];
        int[] due = new int[n];
        int[] service = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = coords.get(i)[0];
            y[i] = coords.get(i)[1];
            demand[i] = rows.get(i)[0];
            ready[i] = rows.get(i)[1];
            due[i] = rows.get(i)[2];
            service[i] = rows.get(i)[3];
        }
        return new SolomonInstance(name, vehicles, capacity, x, y, demand, ready, due, service);
    }
}
