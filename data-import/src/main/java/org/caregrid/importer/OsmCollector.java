package org.caregrid.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.caregrid.importer.ImportError.Severity;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.polygonize.Polygonizer;

/**
 * Receives OSM elements from the XML or PBF parser and, at the end, builds caregrid records from them. Ways and
 * relations are resolved only at the end, so the element order in the file does not matter.
 */
final class OsmCollector implements OsmReader.Sink {

    record Member(char type, long ref, String role) {
    }

    private record TaggedNode(long id, double lon, double lat, Map<String, String> tags) {
    }

    private record TaggedElement(long id, Map<String, String> tags) {
    }

    private record RelationData(long id, List<Member> members, Map<String, String> tags) {
    }

    private static final Set<String> RESIDENTIAL_BUILDINGS = Set.of("residential", "apartments", "house", "detached",
            "dormitory", "terrace", "semidetached_house", "bungalow");

    private final String fileName;
    private final ImportProgress progress;
    private final NodeStore nodes = new NodeStore();
    private final Map<Long, long[]> wayRefs = new HashMap<>();
    private final List<TaggedNode> interestingNodes = new ArrayList<>();
    private final List<TaggedElement> interestingWays = new ArrayList<>();
    private final List<RelationData> interestingRelations = new ArrayList<>();
    private final List<ImportError> errors = new ArrayList<>();
    private long nodeCount;
    private long wayCount;
    private long relationCount;
    private int skipped;

    OsmCollector(String fileName, ImportProgress progress) {
        this.fileName = fileName;
        this.progress = progress;
    }

    void problem(long row, String field, Severity severity, String reason) {
        errors.add(new ImportError(fileName, row, field, severity, reason));
    }

    /** One feature cannot be built: a warning naming it, and the rest of the file is read. */
    private void skip(long id, String reason) {
        skipped++;
        problem(id, null, Severity.WARNING, reason + "; skipped");
    }

    private void tick() {
        long total = nodeCount + wayCount + relationCount;
        if (total % 100_000 == 0) {
            progress.progress(total, -1);
        }
    }

    @Override
    public void node(long id, double lon, double lat, Map<String, String> tags) {
        nodeCount++;
        // NaN fails both tests too (an unparseable coordinate)
        if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
            problem(id, null, Severity.WARNING, "node " + id + " lies outside the world (lat " + lat + ", lon " + lon
                    + "); left out, with whatever needs it");
            tick();
            return;
        }
        nodes.put(id, lon, lat);
        if (!tags.isEmpty() && (tags.containsKey("entrance") || facilityKind(tags) != null)) {
            interestingNodes.add(new TaggedNode(id, lon, lat, tags));
        }
        tick();
    }

    @Override
    public void way(long id, long[] refs, Map<String, String> tags) {
        wayCount++;
        wayRefs.put(id, refs);
        if (tags.containsKey("building") || isCompound(tags) || facilityKind(tags) != null) {
            interestingWays.add(new TaggedElement(id, tags));
        }
        tick();
    }

    @Override
    public void relation(long id, List<Member> members, Map<String, String> tags) {
        relationCount++;
        String type = tags.get("type");
        if (("multipolygon".equals(type) || "building".equals(type) && tags.containsKey("building"))
                && (tags.containsKey("building") || isCompound(tags) || facilityKind(tags) != null)) {
            interestingRelations.add(new RelationData(id, members, tags));
        }
        tick();
    }

    private static boolean isCompound(Map<String, String> tags) {
        return "residential".equals(tags.get("landuse"))
                || tags.containsKey("name") && "residential".equals(tags.get("place"));
    }

    /** The caregrid facility kind of an OSM feature, or null; Chinese names refine clinics. */
    static FacilityKind facilityKind(Map<String, String> tags) {
        String amenity = tags.getOrDefault("amenity", "");
        String healthcare = tags.getOrDefault("healthcare", "");
        String name = tags.getOrDefault("name", "");
        if (amenity.equals("pharmacy") || healthcare.equals("pharmacy")) {
            return FacilityKind.PHARMACY;
        }
        if (amenity.equals("hospital") || healthcare.equals("hospital")) {
            return FacilityKind.HOSPITAL;
        }
        if (amenity.equals("clinic") || amenity.equals("doctors") || healthcare.equals("clinic")
                || healthcare.equals("doctor") || healthcare.equals("centre")) {
            if (name.contains("社区卫生服务") || healthcare.equals("centre")) {
                return FacilityKind.COMMUNITY_HEALTH_CENTRE;
            }
            return name.contains("卫生室") ? FacilityKind.VILLAGE_CLINIC : FacilityKind.CLINIC;
        }
        if (amenity.equals("social_facility") || amenity.equals("social_centre")) {
            return name.contains("志愿") ? FacilityKind.VOLUNTEER_SERVICE_STATION : FacilityKind.SOCIAL_WORK_STATION;
        }
        return null;
    }

    private static Facility facility(String externalId, FacilityKind kind, Map<String, String> tags, Point point) {
        return new Facility(externalId, kind, tags.get("name"), tags.get("opening_hours"), point, specialities(tags),
                "yes".equals(tags.get("emergency")));
    }

    /** healthcare:speciality, split at ";" (OSM's list separator), lower case, only the words the database keeps. */
    static List<String> specialities(Map<String, String> tags) {
        String value = tags.get("healthcare:speciality");
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(";")).map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter(v -> v.matches("[a-z_]{2,40}")).distinct().toList();
    }

    OsmData build(ImportPhases phases) {
        List<Building> buildings = new ArrayList<>();
        List<Compound> compounds = new ArrayList<>();
        List<Facility> facilities = new ArrayList<>();
        Map<Long, String> buildingByOutlineNode = new HashMap<>();
        Map<String, Integer> buildingIndex = new HashMap<>();

        for (TaggedElement way : interestingWays) {
            String externalId = "osm:way/" + way.id();
            Geometry area = wayPolygon(way.id(), way.tags());
            if (area == null) {
                continue;
            }
            addFeature(externalId, way.tags(), area, buildings, compounds, facilities, buildingIndex);
            if (way.tags().containsKey("building")) {
                for (long ref : wayRefs.get(way.id())) {
                    buildingByOutlineNode.putIfAbsent(ref, externalId);
                }
            }
        }
        for (RelationData relation : interestingRelations) {
            Geometry area = relationPolygon(relation);
            if (area != null) {
                addFeature("osm:relation/" + relation.id(), relation.tags(), area, buildings, compounds, facilities,
                        buildingIndex);
            }
        }
        phases.mark("osm.geometries");
        List<Unit> units = new ArrayList<>();
        Map<String, Integer> entrancesPerBuilding = new HashMap<>();
        for (TaggedNode node : interestingNodes) {
            Point point = Geometries.point(node.lon(), node.lat());
            FacilityKind kind = facilityKind(node.tags());
            if (kind != null) {
                facilities.add(facility("osm:node/" + node.id(), kind, node.tags(), point));
            }
            if (node.tags().containsKey("entrance")) {
                String building = buildingByOutlineNode.get(node.id());
                if (building == null) {
                    problem(0, "entrance", Severity.WARNING, "entrance node " + node.id()
                            + " is not on a building outline; kept without a building");
                }
                int n = entrancesPerBuilding.merge(String.valueOf(building), 1, Integer::sum);
                String number = firstOf(node.tags(), "addr:unit", "ref", "name");
                units.add(new Unit(building, number != null ? number : String.valueOf(n), null, point));
                Integer index = building == null ? null : buildingIndex.get(building);
                if (index != null && (buildings.get(index).entrance() == null
                        || "main".equals(node.tags().get("entrance")))) {
                    Building b = buildings.get(index);
                    buildings.set(index, new Building(b.externalId(), b.source(), b.name(), b.code(), b.footprint(),
                            point, b.floors(), b.households(), b.householdsEstimated(), b.compoundExternalId(),
                            b.address()));
                }
            }
        }
        progress.progress(nodeCount + wayCount + relationCount, nodeCount + wayCount + relationCount);
        OsmData data = new OsmData(buildings, compounds, units, facilities, errors, nodeCount, wayCount, relationCount,
                skipped);
        phases.mark("osm.entrances");
        return data;
    }

    private static String firstOf(Map<String, String> tags, String... keys) {
        for (String key : keys) {
            if (tags.get(key) != null) {
                return tags.get(key);
            }
        }
        return null;
    }

    private void addFeature(String externalId, Map<String, String> tags, Geometry area, List<Building> buildings,
                            List<Compound> compounds, List<Facility> facilities, Map<String, Integer> buildingIndex) {
        long id = Long.parseLong(externalId.substring(externalId.lastIndexOf('/') + 1));
        Polygon polygon = Geometries.largestPolygon(area);
        if (area.getNumGeometries() > 1) {
            problem(id, null, Severity.WARNING, externalId + " has " + area.getNumGeometries()
                    + " separate parts; kept the largest");
        }
        if (tags.containsKey("building")) {
            Integer levels = integerTag(id, tags, "building:levels");
            Integer flats = integerTag(id, tags, "building:flats");
            Integer households = flats;
            boolean estimated = false;
            if (households == null && isProbablyResidential(tags, polygon)) {
                households = RowMappers.estimateHouseholds(polygon, levels != null ? levels : levelsFromHeight(tags));
                estimated = true;
            }
            Address address = new Address(tags.get("addr:city"), tags.get("addr:district"), tags.get("addr:street"),
                    tags.get("addr:housenumber"), null, tags.get("addr:postcode"));
            buildingIndex.put(externalId, buildings.size());
            buildings.add(new Building(externalId, "osm", tags.get("name"), tags.get("ref"), polygon, null, levels,
                    households, estimated, null, address.isEmpty() ? Address.NONE : address));
        }
        if (isCompound(tags)) {
            compounds.add(new Compound(externalId, tags.get("name"), null, polygon));
        }
        FacilityKind kind = facilityKind(tags);
        if (kind != null) {
            Point point = (Point) polygon.getInteriorPoint();
            point.setSRID(4326);
            facilities.add(facility(externalId, kind, tags, point));
        }
    }

    /**
     * Residential building types, and plain {@code building=yes} of a house's size or more without a shop,
     * amenity, office or the like on it (in Chinese cities most flats are mapped as "yes").
     */
    private static boolean isProbablyResidential(Map<String, String> tags, Polygon footprint) {
        String type = tags.get("building");
        if (RESIDENTIAL_BUILDINGS.contains(type)) {
            return true;
        }
        if (!"yes".equals(type)) {
            return false;
        }
        for (String key : NON_RESIDENTIAL_KEYS) {
            if (tags.containsKey(key)) {
                return false;
            }
        }
        return Geometries.areaSquareMetres(footprint) >= 40;
    }

    private static final List<String> NON_RESIDENTIAL_KEYS = List.of("amenity", "shop", "office", "tourism",
            "leisure", "craft", "public_transport", "railway", "man_made", "historic", "power");

    /** Levels from a "height" tag at 3 m a storey, else 1. */
    private static int levelsFromHeight(Map<String, String> tags) {
        String height = tags.get("height");
        if (height != null) {
            try {
                return Math.max(1, (int) Math.round(Double.parseDouble(height.replaceAll("[^0-9.]", "")) / 3.0));
            } catch (NumberFormatException ignored) {
                // an unparseable height says nothing; fall back to one storey
            }
        }
        return 1;
    }

    private Integer integerTag(long id, Map<String, String> tags, String key) {
        String value = tags.get(key);
        if (value == null) {
            return null;
        }
        try {
            return (int) Math.round(Double.parseDouble(value.trim().replace(',', '.')));
        } catch (NumberFormatException e) {
            problem(id, key, Severity.WARNING, "'" + value + "' is not a number; ignored");
            return null;
        }
    }

    /** A closed way as a polygon; null with an error when it is open or its nodes are missing. */
    private Geometry wayPolygon(long id, Map<String, String> tags) {
        long[] refs = wayRefs.get(id);
        String what = tags.containsKey("building") ? "building" : isCompound(tags) ? "residential area" : "facility";
        Coordinate[] coordinates = coordinates(refs, "way " + id + " (" + what + ")", id);
        if (coordinates == null) {
            return null;
        }
        if (refs.length < 4 || refs[0] != refs[refs.length - 1]) {
            if (facilityKind(tags) != null && !tags.containsKey("building") && coordinates.length > 0) {
                // a facility drawn as an open line still has a place
                return Geometries.WGS84.createLineString(coordinates).getEnvelope().buffer(0);
            }
            skip(id, "way " + id + " (" + what + ") is not closed: its first and last nodes differ");
            return null;
        }
        return valid(Geometries.WGS84.createPolygon(coordinates), id, "way " + id);
    }

    private Coordinate[] coordinates(long[] refs, String label, long id) {
        Coordinate[] coordinates = new Coordinate[refs.length];
        int missing = 0;
        long example = 0;
        for (int i = 0; i < refs.length; i++) {
            int slot = nodes.find(refs[i]);
            if (slot < 0) {
                missing++;
                example = refs[i];
            } else {
                coordinates[i] = new Coordinate(nodes.lon(slot), nodes.lat(slot));
            }
        }
        if (missing > 0) {
            skip(id, label + " refers to " + missing + " of its " + refs.length
                    + " nodes that are missing from the file (e.g. node " + example
                    + "); the extract was probably cut at its edge");
            return null;
        }
        return coordinates;
    }

    private Geometry valid(Geometry geometry, long id, String label) {
        if (geometry.isValid()) {
            return geometry;
        }
        Geometry fixed = GeometryFixer.fix(geometry);
        if (fixed.isEmpty() || fixed.getArea() == 0) {
            skip(id, label + " is a degenerate polygon (no area)");
            return null;
        }
        problem(id, null, Severity.WARNING, label + " is an invalid polygon (e.g. self-intersecting); repaired");
        fixed.setSRID(4326);
        return fixed;
    }

    /** Outer rings minus inner rings, assembled from the member ways; null with an error if members are missing. */
    private Geometry relationPolygon(RelationData relation) {
        String label = "relation " + relation.id();
        List<LineString> outer = new ArrayList<>();
        List<LineString> inner = new ArrayList<>();
        for (Member member : relation.members()) {
            if (member.type() != 'w') {
                continue;
            }
            long[] refs = wayRefs.get(member.ref());
            if (refs == null) {
                skip(relation.id(), label + " is incomplete: its member way " + member.ref()
                        + " is missing from the file");
                return null;
            }
            Coordinate[] coordinates = coordinates(refs, label + " member way " + member.ref(), relation.id());
            if (coordinates == null) {
                return null;
            }
            if (coordinates.length >= 2) {
                (member.role().equals("inner") ? inner : outer).add(Geometries.WGS84.createLineString(coordinates));
            }
        }
        Geometry outerArea = polygonize(outer);
        if (outerArea == null || outerArea.isEmpty()) {
            skip(relation.id(), label + " has no closed outer ring");
            return null;
        }
        Geometry innerArea = polygonize(inner);
        Geometry area = innerArea == null || innerArea.isEmpty() ? outerArea : outerArea.difference(innerArea);
        area.setSRID(4326);
        return valid(area, relation.id(), label);
    }

    private static Geometry polygonize(Collection<LineString> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        Geometry noded = Geometries.WGS84.buildGeometry(new ArrayList<Geometry>(lines)).union();
        Polygonizer polygonizer = new Polygonizer(true);
        polygonizer.add(noded);
        return polygonizer.getGeometry();
    }

    static Map<String, String> newTags() {
        return new LinkedHashMap<>();
    }
}
