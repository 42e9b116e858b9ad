package org.caregrid.routing;

import com.graphhopper.GHRequest;
import com.graphhopper.GHResponse;
import com.graphhopper.GraphHopper;
import com.graphhopper.ResponsePath;
import com.graphhopper.config.CHProfile;
import com.graphhopper.config.Profile;
import com.graphhopper.routing.ev.BooleanEncodedValue;
import com.graphhopper.routing.ev.Subnetwork;
import com.graphhopper.routing.querygraph.QueryGraph;
import com.graphhopper.routing.util.DefaultSnapFilter;
import com.graphhopper.routing.weighting.Weighting;
import com.graphhopper.storage.RoutingCHGraph;
import com.graphhopper.storage.index.LocationIndexTree;
import com.graphhopper.storage.index.Snap;
import com.graphhopper.util.GHUtility;
import com.graphhopper.routing.ev.EnumEncodedValue;
import com.graphhopper.routing.ev.RoadClass;
import com.graphhopper.util.EdgeIteratorState;
import com.graphhopper.util.FetchMode;
import com.graphhopper.util.PointList;
import com.graphhopper.util.shapes.BBox;
import java.util.TreeSet;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.PrecisionModel;
import com.graphhopper.util.PMap;
import com.graphhopper.util.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The road network of one OSM file: a GraphHopper graph with one CH-prepared profile per {@link TravelMode}.
 * Thread-safe once opened; close it to release the graph.
 *
 * <p>The graph folder is named after the OSM file's SHA-256 and the set of modes, so a changed file or a changed
 * mode set gets a fresh graph instead of GraphHopper's "Profiles do not match" error.
 */
public final class RoadNetwork implements AutoCloseable {

    /** Places farther than this from any usable road are reported as unsnapped. */
    public static final double DEFAULT_MAX_SNAP_DISTANCE_METERS = 300;

    // Every encoded value that the jar's foot.json, bike.json and car.json read; GraphHopper 11 needs them named.
    static final String ENCODED_VALUES = String.join(",",
            "car_access", "car_average_speed",
            "foot_access", "foot_priority", "foot_average_speed", "foot_road_access",
            "bike_access", "bike_priority", "bike_average_speed", "bike_road_access",
            "hike_rating", "mtb_rating", "country", "road_class", "roundabout");

    private static final String GRAPH_FORMAT = "gh11";

    private final GraphHopper hopper;
    private final Set<TravelMode> modes;
    private final Path graphFolder;
    private final double maxSnapDistanceMeters;
    private final Map<TravelMode, Weighting> weightings = new EnumMap<>(TravelMode.class);

    private RoadNetwork(GraphHopper hopper, Set<TravelMode> modes, Path graphFolder, double maxSnapDistanceMeters) {
        this.hopper = hopper;
        this.modes = modes;
        this.graphFolder = graphFolder;
        this.maxSnapDistanceMeters = maxSnapDistanceMeters;
        // Weightings are immutable; building one per call would redo the custom-model setup every time.
        for (TravelMode mode : modes) {
            weightings.put(mode, hopper.createWeighting(hopper.getProfile(mode.profileName()), new PMap()));
        }
    }

    /** Opens the network for all modes (foot, bike, car), building the graph if needed. */
    public static RoadNetwork open(Path osmFile, Path cacheDir) {
        return open(osmFile, cacheDir, EnumSet.allOf(TravelMode.class), DEFAULT_MAX_SNAP_DISTANCE_METERS);
    }

    /**
     * Opens the network, building the graph under {@code cacheDir} when no graph for this file content and mode
     * set exists yet (seconds for a district, minutes for a city).
     */
    public static RoadNetwork open(Path osmFile, Path cacheDir, Set<TravelMode> modes, double maxSnapDistanceMeters) {
        if (!Files.isRegularFile(osmFile)) {
            throw new IllegalArgumentException("OSM file not found: " + osmFile.toAbsolutePath());
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("at least one travel mode is needed");
        }
        Set<TravelMode> modeSet = Set.copyOf(EnumSet.copyOf(modes));
        Path folder = cacheDir.resolve(graphFolderName(osmFile, modeSet));
        try {
            Files.createDirectories(cacheDir);
            if (!Files.isRegularFile(folder.resolve("properties"))) {
                buildInto(osmFile, modeSet, cacheDir, folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the graph folder " + folder, e);
        }
        GraphHopper hopper;
        try {
            hopper = load(osmFile, modeSet, folder);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A folder written by another GraphHopper build or custom model (same name, other profile hash):
            // build it again rather than show the user "Profiles do not match".
            try {
                deleteRecursively(folder);
                buildInto(osmFile, modeSet, cacheDir, folder);
            } catch (IOException io) {
                throw new UncheckedIOException("cannot rebuild the graph folder " + folder, io);
            }
            hopper = load(osmFile, modeSet, folder);
        }
        return new RoadNetwork(hopper, modeSet, folder, maxSnapDistanceMeters);
    }

    private static GraphHopper load(Path osmFile, Set<TravelMode> modes, Path folder) {
        GraphHopper hopper = configure(osmFile, modes, folder);
        hopper.setAllowWrites(false);
        try {
            if (!hopper.load()) {
                throw new IllegalStateException("graph folder " + folder + " could not be loaded");
            }
            return hopper;
        } catch (RuntimeException e) {
            hopper.close();
            throw e;
        }
    }

    /** {@code <sha256 prefix>-<modes>-gh11}: the content and the profile set, never the file's name or date. */
    static String graphFolderName(Path osmFile, Set<TravelMode> modes) {
        String modeKey = modes.stream().sorted().map(TravelMode::profileName).collect(Collectors.joining("_"));
        return sha256(osmFile).substring(0, 16) + "-" + modeKey + "-" + GRAPH_FORMAT;
    }

    // Built in a private folder and moved into place only when complete, so a crash or a concurrent
    // opener never sees a half-written graph.
    private static void buildInto(Path osmFile, Set<TravelMode> modes, Path cacheDir, Path folder) throws IOException {
        Path scratch = Files.createTempDirectory(cacheDir, folder.getFileName() + ".building-");
        try {
            GraphHopper builder = configure(osmFile, modes, scratch);
            builder.importAndClose();
            try {
                Files.move(scratch, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(scratch, folder);
            }
        } catch (IOException e) {
            if (Files.isRegularFile(folder.resolve("properties"))) {
                return; // someone else finished the same graph first
            }
            throw e;
        } finally {
            deleteRecursively(scratch);
        }
    }

    private static GraphHopper configure(Path osmFile, Set<TravelMode> modes, Path folder) {
        GraphHopper hopper = new GraphHopper();
        hopper.setOSMFile(osmFile.toAbsolutePath().toString());
        hopper.setGraphHopperLocation(folder.toAbsolutePath().toString());
        hopper.setEncodedValuesString(ENCODED_VALUES);
        List<Profile> profiles = new ArrayList<>();
        List<CHProfile> chProfiles = new ArrayList<>();
        for (TravelMode mode : modes.stream().sorted().toList()) {
            String name = mode.profileName();
            profiles.add(new Profile(name).setCustomModel(GHUtility.loadCustomModelFromJar(name + ".json")));
            chProfiles.add(new CHProfile(name));
        }
        hopper.setProfiles(profiles);
        hopper.getCHPreparationHandler().setCHProfiles(chProfiles);
        return hopper;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Set<TravelMode> modes() {
        return modes;
    }

    /** The folder holding the prepared graph (useful for logs and health checks). */
    public Path graphFolder() {
        return graphFolder;
    }

    public double maxSnapDistanceMeters() {
        return maxSnapDistanceMeters;
    }

    /** The area covered by the graph. */
    public Bounds bounds() {
        BBox b = hopper.getBaseGraph().getBounds();
        return new Bounds(b.minLat, b.minLon, b.maxLat, b.maxLon);
    }

    /**
     * The graph's roads that cross a box, in edge order, at most {@code limit + 1} of them so that a caller can
     * tell that more matched. The location index answers per tile (a superset); each edge's own envelope decides.
     */
    public List<Road> roads(Bounds box, int limit) {
        BBox query =
                new BBox(box.minLon(), box.maxLon(), box.minLat(), box.maxLat());
        TreeSet<Integer> edges = new TreeSet<>();
        hopper.getLocationIndex().query(query, edges::add);
        EnumEncodedValue<RoadClass> roadClass =
                hopper.getEncodingManager().getEnumEncodedValue(RoadClass.KEY,
                        RoadClass.class);
        Envelope envelope =
                new Envelope(box.minLon(), box.maxLon(), box.minLat(), box.maxLat());
        List<Road> roads = new ArrayList<>();
        for (int edge : edges) {
            if (roads.size() > limit) {
                break;
            }
            EdgeIteratorState state =
                    hopper.getBaseGraph().getEdgeIteratorState(edge, Integer.MIN_VALUE);
            PointList points = state.fetchWayGeometry(FetchMode.ALL);
            if (points.size() < 2) {
                continue;
            }
            Coordinate[] coordinates = new Coordinate[points.size()];
            for (int i = 0; i < points.size(); i++) {
                coordinates[i] = new Coordinate(points.getLon(i), points.getLat(i));
            }
            LineString line = GEOMETRY.createLineString(coordinates);
            if (line.getEnvelopeInternal().intersects(envelope)) {
                roads.add(new Road(edge, state.get(roadClass).toString(), line));
            }
        }
        return roads;
    }

    private static final GeometryFactory GEOMETRY =
            new GeometryFactory(new PrecisionModel(), 4326);

    /**
     * One-to-one travel on the mode's contraction hierarchy, without geometry or instructions (a quick ETA).
     * Empty when either place cannot be snapped or no route connects them.
     */
    public Optional<TravelSummary> travel(TravelMode mode, Place from, Place to) {
        requireMode(mode);
        if (snapOne(mode, from).snap() == null || snapOne(mode, to).snap() == null) {
            return Optional.empty();
        }
        GHRequest request = new GHRequest(from.lat(), from.lon(), to.lat(), to.lon()).setProfile(mode.profileName());
        request.putHint(Parameters.Routing.INSTRUCTIONS, false);
        request.putHint(Parameters.Routing.CALC_POINTS, false);
        GHResponse response = hopper.route(request);
        if (response.hasErrors()) {
            return Optional.empty();
        }
        ResponsePath best = response.getBest();
        return Optional.of(new TravelSummary(best.getDistance(), best.getTime(), best.getRouteWeight()));
    }

    /** Attaches each place to the nearest road usable by the mode, listing those that cannot be attached. */
    public SnapReport snap(TravelMode mode, List<Place> places) {
        List<SnapReport.SnappedPlace> snapped = new ArrayList<>();
        List<Unsnapped> unsnapped = new ArrayList<>();
        for (Place place : places) {
            Snapping s = snapOne(mode, place);
            if (s.snap() != null) {
                snapped.add(new SnapReport.SnappedPlace(place, s.snap().getSnappedPoint().getLat(),
                        s.snap().getSnappedPoint().getLon(), s.snap().getQueryDistance()));
            } else {
                unsnapped.add(s.failure());
            }
        }
        return new SnapReport(snapped, unsnapped);
    }

    /**
     * The best route through {@code points} in order (at least two), with turn instructions in {@code locale}
     * (e.g. {@link Locale#SIMPLIFIED_CHINESE} or {@link Locale#ENGLISH}).
     */
    public RouteResult route(TravelMode mode, List<Place> points, Locale locale) {
        return new RouteCalculator(this).route(mode, points, locale);
    }

    /**
     * Distances and times from every source to every target on the mode's contraction hierarchy
     * (bucket-based many-to-many). Unsnapped places are listed and their rows/columns stay unreachable.
     */
    public TravelMatrix matrix(TravelMode mode, List<Place> sources, List<Place> targets) {
        List<Snapping> sourceSnaps = snapAll(mode, sources);
        List<Snapping> targetSnaps = snapAll(mode, targets);
        QueryGraph queryGraph = QueryGraph.create(hopper.getBaseGraph(),
                Stream.concat(sourceSnaps.stream(), targetSnaps.stream())
                        .map(Snapping::snap).filter(Objects::nonNull).toList());
        ManyToManyCH.Result result = new ManyToManyCH(chGraph(mode), queryGraph)
                .compute(closestNodes(sourceSnaps), closestNodes(targetSnaps));
        return new TravelMatrix(mode, sources.stream().map(Place::id).toList(), targets.stream().map(Place::id).toList(),
                result.distances, result.times, result.weights, failures(sourceSnaps, targetSnaps));
    }

    /** The area reachable from {@code centre} within {@code limit} by the mode, as a (multi)polygon. */
    public IsochroneResult isochrone(TravelMode mode, Place centre, Duration limit) {
        return new IsochroneBuilder(this).build(mode, centre, limit);
    }

    /**
     * The area reachable from any of {@code facilities} within each of {@code limits} by the mode, one polygon per
     * limit, from one multi-source search: a node is inside when its best walk (by the mode's weight, as the
     * nearest-facility search finds it) from the facilities takes at most the limit. That is what merging every
     * facility's isochrone gave, but for the rare node only a facility other than the best reaches in time, and the
     * space between two facilities' areas is no longer left out. Facilities that cannot be snapped are listed.
     */
    public ServiceAreas serviceAreas(TravelMode mode, List<Place> facilities, List<Duration> limits) {
        return new IsochroneBuilder(this).serviceAreas(mode, facilities, limits);
    }

    /**
     * For every person, the nearest facility (by the mode's weight), its id, network distance and time, from one
     * multi-source search over the graph. Facilities and people that cannot be snapped are listed.
     */
    public NearestFacilities nearestFacilities(TravelMode mode, List<Place> facilities, List<Place> people,
                                               NearestFacilities.Direction direction) {
        long t0 = System.nanoTime();
        BulkSnapping bulk = bulkSnapping(mode, facilities, people);
        List<Snapping> facilitySnaps = bulk.snapAll(facilities, false);
        List<Snapping> personSnaps = bulk.snapAll(people, true);
        long t1 = System.nanoTime();
        QueryGraph queryGraph = QueryGraph.create(hopper.getBaseGraph(),
                Stream.concat(facilitySnaps.stream(), personSnaps.stream())
                        .map(Snapping::snap).filter(Objects::nonNull).distinct().toList());
        long t2 = System.nanoTime();
        MultiSourceDijkstra search = MultiSourceDijkstra.run(queryGraph, queryGraph.wrapWeighting(weighting(mode)),
                closestNodes(facilitySnaps), direction == NearestFacilities.Direction.PERSON_TO_FACILITY);
        long t3 = System.nanoTime();
        List<NearestFacilities.Nearest> results = new ArrayList<>();
        for (Snapping person : personSnaps) {
            if (person.snap() == null) {
                continue;
            }
            int node = person.snap().getClosestNode();
            int origin = search.origin[node];
            results.add(origin < 0
                    ? new NearestFacilities.Nearest(person.place().id(), Optional.empty(), Double.NaN, -1)
                    : new NearestFacilities.Nearest(person.place().id(), Optional.of(facilities.get(origin).id()),
                    search.distance[node], search.time[node]));
        }
        List<Unsnapped> unsnappedPeople = failures(personSnaps);
        List<Unsnapped> unsnappedFacilities = failures(facilitySnaps);
        long t4 = System.nanoTime();
        return new NearestFacilities(mode, direction, results, unsnappedPeople, unsnappedFacilities,
                new NearestFacilities.Phases(t1 - t0, t2 - t1, t3 - t2, t4 - t3));
    }

    @Override
    public void close() {
        hopper.close();
    }

    // ---- package-private plumbing for the algorithms in this package ----

    /** Either a GraphHopper snap or the reason there is none. */
    record Snapping(Place place, Snap snap, Unsnapped failure) {
    }

    GraphHopper hopper() {
        return hopper;
    }

    void requireMode(TravelMode mode) {
        if (!modes.contains(mode)) {
            throw new IllegalArgumentException("travel mode " + mode + " is not prepared in this network (" + modes + ")");
        }
    }

    Weighting weighting(TravelMode mode) {
        requireMode(mode);
        return weightings.get(mode);
    }

    RoutingCHGraph chGraph(TravelMode mode) {
        requireMode(mode);
        return hopper.getCHGraphs().get(mode.profileName());
    }

    /** Snaps as GraphHopper's router does (same weighting, subnetwork filter), then applies the distance limit. */
    Snapping snapOne(TravelMode mode, Place place) {
        Weighting weighting = weighting(mode);
        BooleanEncodedValue inSubnetwork =
                hopper.getEncodingManager().getBooleanEncodedValue(Subnetwork.key(mode.profileName()));
        Snap snap = hopper.getLocationIndex().findClosest(place.lat(), place.lon(),
                new DefaultSnapFilter(weighting, inSubnetwork));
        if (!snap.isValid()) {
            return new Snapping(place, null, new Unsnapped(place, Double.NaN, Unsnapped.Reason.NO_ROAD_FOUND));
        }
        if (snap.getQueryDistance() > maxSnapDistanceMeters) {
            return new Snapping(place, null,
                    new Unsnapped(place, snap.getQueryDistance(), Unsnapped.Reason.TOO_FAR_FROM_ROAD));
        }
        return new Snapping(place, snap, null);
    }

    /** Query-graph node per snapping (call after the query graph is created), -1 where unsnapped. */
    static int[] closestNodes(List<Snapping> snappings) {
        return snappings.stream().mapToInt(s -> s.snap() == null ? -1 : s.snap().getClosestNode()).toArray();
    }

    /** The unsnapped places of one or more lists, each id once. */
    @SafeVarargs
    static List<Unsnapped> failures(List<Snapping>... lists) {
        Map<String, Unsnapped> byId = new LinkedHashMap<>();
        for (List<Snapping> list : lists) {
            for (Snapping s : list) {
                if (s.failure() != null) {
                    byId.putIfAbsent(s.failure().id(), s.failure());
                }
            }
        }
        return List.copyOf(byId.values());
    }

    /**
     * Snapping for many places at once: the answers of {@link #snapOne}, from {@link BulkSnapper}'s grid where it
     * finds a road within the limit, else (no road near, or a location index other than GraphHopper's tree) from
     * {@link #snapOne} itself.
     */
    final class BulkSnapping {
        private final TravelMode mode;
        private final BulkSnapper snapper;
        private final int[] seen;
        private final BulkSnapper.IntList candidates = new BulkSnapper.IntList();
        private int stamp;

        private BulkSnapping(TravelMode mode, BulkSnapper snapper) {
            this.mode = mode;
            this.snapper = snapper;
            this.seen = snapper == null ? null : new int[hopper.getBaseGraph().getEdges()];
        }

        Snapping snap(Place place) {
            if (snapper == null) {
                return snapOne(mode, place);
            }
            Snap snap = snapper.snap(place.lat(), place.lon(), seen, ++stamp, candidates);
            if (snap == null) {
                return snapOne(mode, place);
            }
            if (snap.getQueryDistance() > maxSnapDistanceMeters) {
                return new Snapping(place, null,
                        new Unsnapped(place, snap.getQueryDistance(), Unsnapped.Reason.TOO_FAR_FROM_ROAD));
            }
            return new Snapping(place, snap, null);
        }

        /**
         * Every place snapped; with {@code share}, places at the same point (the people of one building or unit
         * share its entrance) share one snap: snapped once, and one virtual node in the query graph rather than one
         * per person.
         */
        List<Snapping> snapAll(List<Place> places, boolean share) {
            if (!share) {
                List<Snapping> result = new ArrayList<>(places.size());
                places.forEach(p -> result.add(snap(p)));
                return result;
            }
            record Point(double lat, double lon) {
            }
            Map<Point, Snapping> byPoint = new HashMap<>();
            List<Snapping> result = new ArrayList<>(places.size());
            for (Place place : places) {
                Snapping first = byPoint.computeIfAbsent(new Point(place.lat(), place.lon()), p -> snap(place));
                if (first.place() == place) {
                    result.add(first);
                } else if (first.snap() != null) {
                    result.add(new Snapping(place, first.snap(), null));
                } else {
                    Unsnapped failure = first.failure();
                    result.add(new Snapping(place, null, new Unsnapped(place, failure.distanceMeters(), failure.reason())));
                }
            }
            return result;
        }
    }

    /** A {@link BulkSnapping} whose grid covers the places of every list given. */
    @SafeVarargs
    final BulkSnapping bulkSnapping(TravelMode mode, List<Place>... lists) {
        List<Place> all = Stream.of(lists).flatMap(List::stream).toList();
        if (all.isEmpty() || !(hopper.getLocationIndex() instanceof LocationIndexTree tree)) {
            return new BulkSnapping(mode, null);
        }
        BooleanEncodedValue inSubnetwork =
                hopper.getEncodingManager().getBooleanEncodedValue(Subnetwork.key(mode.profileName()));
        double[] points = BulkSnapper.coordinates(all);
        return new BulkSnapping(mode, new BulkSnapper(hopper.getBaseGraph(), tree,
                new DefaultSnapFilter(weighting(mode), inSubnetwork), points, all.size(), maxSnapDistanceMeters));
    }

    List<Snapping> snapAll(TravelMode mode, List<Place> places) {
        List<Snapping> result = new ArrayList<>(places.size());
        for (Place place : places) {
            result.add(snapOne(mode, place));
        }
        return result;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RoadNetwork[%s, %s]", graphFolder, modes);
    }
}
