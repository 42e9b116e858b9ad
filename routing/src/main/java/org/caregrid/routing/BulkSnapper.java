package org.caregrid.routing;

import com.graphhopper.routing.util.AllEdgesIterator;
import com.graphhopper.routing.util.EdgeFilter;
import com.graphhopper.storage.BaseGraph;
import com.graphhopper.storage.index.LocationIndexTree;
import com.graphhopper.storage.index.Snap;
import com.graphhopper.util.DistancePlaneProjection;
import com.graphhopper.util.EdgeIteratorState;
import com.graphhopper.util.FetchMode;
import com.graphhopper.util.PointList;

import java.util.Arrays;
import java.util.List;

/**
 * Snaps many points at once with the answer GraphHopper's {@code LocationIndexTree.findClosest} gives one by one.
 *
 * <p>Why: the location index's tiles are a few hundred metres wide, so each of its queries measures its distance
 * to every road of a tile or more (≈ 800 edges a point on the benchmark district, 70–150 µs), which made snapping
 * 100 000 homes cost seconds while the search itself takes milliseconds. Here the usable roads around the points are
 * cut into segments and put once into a fine grid (cells of tens of metres); a point looks at the few cells around
 * it, keeps every edge within a small tolerance of the closest one it finds, and only those edges go through
 * GraphHopper's own {@code traverseEdge} and the comparison {@code findClosest} makes, so the snap (edge, way index,
 * position, closest node, distance) is computed by GraphHopper's code. Points with no usable road within the snap
 * limit get {@code null}: the caller asks the location index for those (their reason and distance).
 */
final class BulkSnapper {
    private static final double EARTH_RADIUS = 6_371_000;
    /** Cells are at least this wide, and the grid at most {@link #MAX_CELLS} cells. */
    private static final double MIN_CELL_METERS = 25;
    private static final long MAX_CELLS = 4_000_000;

    private final BaseGraph graph;
    private final LocationIndexTree index;
    private final double limitMeters;
    // local plane in metres around the points' box: x east, y north
    private final double originLat;
    private final double originLon;
    private final double metersPerDegLat;
    private final double metersPerDegLon;
    private final double cellMeters;
    private final int columns;
    private final int rows;
    // segments of usable edges, and the grid as compressed rows: cell c holds cellSegments[cellStart[c] .. cellStart[c+1])
    private final int[] segmentEdge;
    private final double[] segment; // x1, y1, x2, y2 per segment
    private final int[] cellStart;
    private final int[] cellSegments;

    /**
     * @param points      lat, lon pairs of the points to snap
     * @param limitMeters the snap limit: roads farther than that need not be found
     */
    BulkSnapper(BaseGraph graph, LocationIndexTree index, EdgeFilter usable, double[] points, int count, double limitMeters) {
        this.graph = graph;
        this.index = index;
        this.limitMeters = limitMeters;
        double minLat = Double.POSITIVE_INFINITY, maxLat = Double.NEGATIVE_INFINITY;
        double minLon = Double.POSITIVE_INFINITY, maxLon = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            minLat = Math.min(minLat, points[2 * i]);
            maxLat = Math.max(maxLat, points[2 * i]);
            minLon = Math.min(minLon, points[2 * i + 1]);
            maxLon = Math.max(maxLon, points[2 * i + 1]);
        }
        metersPerDegLat = EARTH_RADIUS * Math.PI / 180;
        metersPerDegLon = metersPerDegLat * Math.cos(Math.toRadians((minLat + maxLat) / 2));
        // the limit and a margin around the points: GraphHopper's plane distance and this one differ by far less
        double margin = tolerance(limitMeters) + limitMeters;
        originLat = minLat - margin / metersPerDegLat;
        originLon = minLon - margin / metersPerDegLon;
        double width = (maxLon - minLon) * metersPerDegLon + 2 * margin;
        double height = (maxLat - minLat) * metersPerDegLat + 2 * margin;
        cellMeters = Math.max(MIN_CELL_METERS, Math.sqrt(width * height / MAX_CELLS));
        columns = Math.max(1, (int) Math.ceil(width / cellMeters));
        rows = Math.max(1, (int) Math.ceil(height / cellMeters));

        // every usable edge once, in edge order (the location index's tiles would give an edge once per tile);
        // segments wholly outside the box are left out below
        IntList segEdges = new IntList();
        DoubleList coords = new DoubleList();
        AllEdgesIterator all = graph.getAllEdges();
        while (all.next()) {
            int edge = all.getEdge();
            EdgeIteratorState state = graph.getEdgeIteratorStateForKey(edge * 2);
            if (!usable.accept(state)) {
                continue;
            }
            PointList pl = state.fetchWayGeometry(FetchMode.ALL);
            for (int p = 1; p < pl.size(); p++) {
                double x1 = x(pl.getLon(p - 1)), y1 = y(pl.getLat(p - 1)), x2 = x(pl.getLon(p)), y2 = y(pl.getLat(p));
                if (Math.max(x1, x2) < 0 || Math.min(x1, x2) > width || Math.max(y1, y2) < 0 || Math.min(y1, y2) > height) {
                    continue;
                }
                segEdges.add(edge);
                coords.add(x1);
                coords.add(y1);
                coords.add(x2);
                coords.add(y2);
            }
        }
        segmentEdge = segEdges.toArray();
        segment = coords.toArray();
        // two passes over the segments' boxes: count per cell, then fill
        cellStart = new int[columns * rows + 1];
        forEachCell((cell, s) -> cellStart[cell + 1]++);
        for (int c = 0; c < columns * rows; c++) {
            cellStart[c + 1] += cellStart[c];
        }
        cellSegments = new int[cellStart[columns * rows]];
        int[] fill = Arrays.copyOf(cellStart, columns * rows);
        forEachCell((cell, s) -> cellSegments[fill[cell]++] = s);
    }

    private interface CellVisitor {
        void visit(int cell, int segmentIndex);
    }

    private void forEachCell(CellVisitor visitor) {
        for (int s = 0; s < segmentEdge.length; s++) {
            double x1 = segment[4 * s], y1 = segment[4 * s + 1], x2 = segment[4 * s + 2], y2 = segment[4 * s + 3];
            int c0 = clamp((int) Math.floor(Math.min(x1, x2) / cellMeters), columns);
            int c1 = clamp((int) Math.floor(Math.max(x1, x2) / cellMeters), columns);
            int r0 = clamp((int) Math.floor(Math.min(y1, y2) / cellMeters), rows);
            int r1 = clamp((int) Math.floor(Math.max(y1, y2) / cellMeters), rows);
            for (int r = r0; r <= r1; r++) {
                for (int c = c0; c <= c1; c++) {
                    visitor.visit(r * columns + c, s);
                }
            }
        }
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    private double x(double lon) {
        return (lon - originLon) * metersPerDegLon;
    }

    private double y(double lat) {
        return (lat - originLat) * metersPerDegLat;
    }

    /** How far beyond the closest edge found here an edge still counts as a candidate for GraphHopper's choice. */
    private static double tolerance(double meters) {
        return 1 + meters * 0.01;
    }

    /**
     * The snap {@code findClosest} would give for the point, or {@code null} when no usable road lies within the
     * limit (and a little more): then the caller asks the location index.
     *
     * @param seen scratch: an edge-id stamp per call, sized to the graph's edges
     * @param stamp a value not yet used in {@code seen}
     */
    Snap snap(double lat, double lon, int[] seen, int stamp, IntList candidates) {
        double px = x(lon), py = y(lat);
        int col = (int) Math.floor(px / cellMeters);
        int row = (int) Math.floor(py / cellMeters);
        if (col < 0 || row < 0 || col >= columns || row >= rows) {
            return null;
        }
        double best = Double.POSITIVE_INFINITY;
        candidates.size = 0;
        DoubleList candidateDistances = new DoubleList();
        double bound = limitMeters + tolerance(limitMeters);
        for (int ring = 0; ; ring++) {
            // every cell of this ring is at least (ring - 1) whole cells away from the point
            if ((ring - 1) * cellMeters > Math.min(bound, best + tolerance(best))) {
                break;
            }
            if (ring > columns && ring > rows) {
                break;
            }
            for (int r = row - ring; r <= row + ring; r++) {
                if (r < 0 || r >= rows) {
                    continue;
                }
                boolean edgeRow = r == row - ring || r == row + ring;
                int step = edgeRow ? 1 : 2 * ring;
                for (int c = col - ring; c <= col + ring; c += Math.max(1, step)) {
                    if (c < 0 || c >= columns) {
                        continue;
                    }
                    int cell = r * columns + c;
                    for (int k = cellStart[cell]; k < cellStart[cell + 1]; k++) {
                        int s = cellSegments[k];
                        double d = distance(px, py, s);
                        if (d <= bound && d <= best + tolerance(best)) {
                            int edge = segmentEdge[s];
                            best = Math.min(best, d);
                            candidates.add(edge);
                            candidateDistances.add(d);
                        }
                    }
                }
            }
        }
        if (candidates.size == 0) {
            return null;
        }
        // GraphHopper's comparison over the candidates still near the best, each edge once, in edge order
        IntList kept = new IntList();
        for (int i = 0; i < candidates.size; i++) {
            int edge = candidates.values[i];
            if (candidateDistances.values[i] <= best + tolerance(best) && seen[edge] != stamp) {
                seen[edge] = stamp;
                kept.add(edge);
            }
        }
        int[] ordered = kept.toArray();
        Arrays.sort(ordered);
        Snap snap = new Snap(lat, lon);
        for (int edge : ordered) {
            EdgeIteratorState state = graph.getEdgeIteratorStateForKey(edge * 2);
            index.traverseEdge(lat, lon, state, (node, normedDist, wayIndex, position) -> {
                if (normedDist < snap.getQueryDistance()) {
                    snap.setQueryDistance(normedDist);
                    snap.setClosestNode(node);
                    snap.setClosestEdge(state.detach(false));
                    snap.setWayIndex(wayIndex);
                    snap.setSnappedPosition(position);
                }
            });
        }
        if (!snap.isValid()) {
            return null;
        }
        snap.calcSnappedPoint(DistancePlaneProjection.DIST_PLANE);
        snap.setQueryDistance(DistancePlaneProjection.DIST_PLANE.calcDist(snap.getSnappedPoint().lat,
                snap.getSnappedPoint().lon, lat, lon));
        return snap;
    }

    private double distance(double px, double py, int s) {
        double x1 = segment[4 * s], y1 = segment[4 * s + 1], x2 = segment[4 * s + 2], y2 = segment[4 * s + 3];
        double dx = x2 - x1, dy = y2 - y1;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
        double ex = x1 + t * dx - px, ey = y1 + t * dy - py;
        return Math.sqrt(ex * ex + ey * ey);
    }

    /** A growable int array (no boxing). */
    static final class IntList {
        int[] values = new int[16];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class DoubleList {
        double[] values = new double[16];
        int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    static double[] coordinates(List<Place> places) {
        double[] points = new double[2 * places.size()];
        for (int i = 0; i < places.size(); i++) {
            points[2 * i] = places.get(i).lat();
            points[2 * i + 1] = places.get(i).lon();
        }
        return points;
    }
}
