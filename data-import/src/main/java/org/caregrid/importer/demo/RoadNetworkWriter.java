package org.caregrid.importer.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.caregrid.importer.demo.Plans.BuildingPlan;
import org.caregrid.importer.demo.Plans.CompoundPlan;

/** Builds the demo road graph in local metres, de-duplicating nodes by position, and writes it as OSM XML. */
final class RoadNetworkWriter {

    private record Way(long id, List<Long> nodes, Map<String, String> tags) {
    }

    private final LocalProjection projection;
    private final List<CompoundPlan> compounds;
    private final int columns;
    private final int rows;
    private final Map<Long, Long> nodeByPosition = new HashMap<>();
    private final List<double[]> nodePositions = new ArrayList<>();
    private final Map<Long, Map<String, String>> nodeTags = new TreeMap<>();
    private final List<Way> ways = new ArrayList<>();

    RoadNetworkWriter(LocalProjection projection, List<CompoundPlan> compounds, int columns, int rows) {
        this.projection = projection;
        this.compounds = compounds;
        this.columns = columns;
        this.rows = rows;
    }

    /** Node ids count from 1 in creation order; positions are keyed to the decimetre. */
    private long node(double x, double y) {
        long key = Math.round(x * 10) * 1_000_000_000L + Math.round(y * 10);
        return nodeByPosition.computeIfAbsent(key, k -> {
            nodePositions.add(new double[] {x, y});
            return (long) nodePositions.size();
        });
    }

    private void way(List<Long> nodes, String... keyValues) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.put(keyValues[i], keyValues[i + 1]);
        }
        ways.add(new Way(ways.size() + 1, nodes, tags));
    }

    private void build() {
        double width = columns * DemoDistrictGenerator.CELL_WIDTH;
        Map<Integer, TreeSet<Double>> gatesByStreetRow = new HashMap<>();
        for (CompoundPlan compound : compounds) {
            int row = (int) Math.round(compound.streetY / DemoDistrictGenerator.CELL_HEIGHT);
            gatesByStreetRow.computeIfAbsent(row, r -> new TreeSet<>()).add(compound.spineX);
        }
        for (int r = 0; r <= rows; r++) {
            TreeSet<Double> xs = new TreeSet<>(gatesByStreetRow.getOrDefault(r, new TreeSet<>()));
            for (int c = 0; c <= columns; c++) {
                xs.add(c * DemoDistrictGenerator.CELL_WIDTH);
            }
            double y = r * DemoDistrictGenerator.CELL_HEIGHT;
            List<Long> nodes = new ArrayList<>();
            for (double x : xs) {
                if (x <= width) {
                    nodes.add(node(x, y));
                }
            }
            boolean arterial = r % 4 == 0 || r == rows;
            way(nodes, "highway", arterial ? "primary" : "tertiary", "name", ChineseNames.roadWord(r) + "路",
                    "maxspeed", arterial ? "50" : "30");
        }
        for (int c = 0; c <= columns; c++) {
            double x = c * DemoDistrictGenerator.CELL_WIDTH;
            List<Long> nodes = new ArrayList<>();
            for (int r = 0; r <= rows; r++) {
                nodes.add(node(x, r * DemoDistrictGenerator.CELL_HEIGHT));
            }
            boolean arterial = c % 4 == 0 || c == columns;
            way(nodes, "highway", arterial ? "primary" : "tertiary", "name",
                    ChineseNames.roadWord(c + 7) + (arterial ? "大道" : "街"), "maxspeed", arterial ? "50" : "30");
        }
        for (CompoundPlan compound : compounds) {
            long street = node(compound.spineX, compound.streetY);
            long gate = node(compound.spineX, compound.gateY);
            nodeTags.put(gate, Map.of("barrier", "gate"));
            way(List.of(street, gate), "highway", "service", "service", "driveway");
            TreeMap<Double, List<double[]>> entrancesByRow = new TreeMap<>();
            for (BuildingPlan building : compound.buildings) {
                for (int u = 0; u < building.entranceX.length; u++) {
                    entrancesByRow.computeIfAbsent(building.rowPathY, k -> new ArrayList<>())
                            .add(new double[] {building.entranceX[u], building.entranceY, u + 1});
                }
            }
            List<Long> spine = new ArrayList<>();
            spine.add(gate);
            for (var row : entrancesByRow.entrySet()) {
                double rowY = row.getKey();
                long junction = node(compound.spineX, rowY);
                spine.add(junction);
                List<double[]> entrances = new ArrayList<>(row.getValue());
                entrances.sort((a, b) -> Double.compare(a[0], b[0]));
                List<Long> path = new ArrayList<>();
                path.add(junction);
                for (double[] entrance : entrances) {
                    long foot = node(entrance[0], rowY);
                    if (!path.contains(foot)) {
                        path.add(foot);
                    }
                    long door = node(entrance[0], entrance[1]);
                    nodeTags.put(door, Map.of("entrance", "staircase", "ref", String.valueOf((int) entrance[2])));
                    way(List.of(foot, door), "highway", "footway");
                }
                way(path, "highway", "footway");
            }
            way(spine, "highway", "service", "name", compound.compound.name() + "内部道路");
        }
    }

    void write(Path file) throws IOException {
        build();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            out.write("<osm version=\"0.6\" generator=\"caregrid demo district\">\n");
            double maxX = columns * DemoDistrictGenerator.CELL_WIDTH;
            double maxY = rows * DemoDistrictGenerator.CELL_HEIGHT;
            out.write(String.format(Locale.ROOT,
                    "  <bounds minlat=\"%.7f\" minlon=\"%.7f\" maxlat=\"%.7f\" maxlon=\"%.7f\"/>%n",
                    projection.lat(0), projection.lon(0), projection.lat(maxY), projection.lon(maxX)));
            for (int i = 0; i < nodePositions.size(); i++) {
                long id = i + 1;
                double[] p = nodePositions.get(i);
                String head = String.format(Locale.ROOT, "  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"",
                        id, projection.lat(p[1]), projection.lon(p[0]));
                Map<String, String> tags = nodeTags.get(id);
                if (tags == null) {
                    out.write(head + "/>\n");
                } else {
                    out.write(head + ">\n");
                    writeTags(out, new TreeMap<>(tags));
                    out.write("  </node>\n");
                }
            }
            for (Way way : ways) {
                out.write("  <way id=\"" + way.id() + "\" version=\"1\">\n");
                for (long node : way.nodes()) {
                    out.write("    <nd ref=\"" + node + "\"/>\n");
                }
                writeTags(out, way.tags());
                out.write("  </way>\n");
            }
            out.write("</osm>\n");
        }
    }

    private static void writeTags(BufferedWriter out, Map<String, String> tags) throws IOException {
        for (var tag : tags.entrySet()) {
            out.write("    <tag k=\"" + escape(tag.getKey()) + "\" v=\"" + escape(tag.getValue()) + "\"/>\n");
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
