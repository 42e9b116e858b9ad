package org.caregrid.server.ogc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;

/**
 * The collections of the OGC API: each is one SQL query whose rows are features (an {@code id}, property
 * columns and a {@code geom} in WGS84), with slots: {@code %1$s} the caller's scope, {@code %2$s}
 * the bounding-box test on the indexed geometry columns, {@code %3$s} an assignment in office today and
 * {@code %4$s} today ({@link #TODAY}). Key persons are never features: the
 * {@code key-person-buildings} layer counts them per building.
 */
enum Layer {

    ADMIN_AREAS("admin-areas", "行政区划 Admin areas",
            "City, district, street and community boundaries with their 12-digit statistical division code.",
            "MultiPolygon", false, List.of("level", "parent_code"), List.of("a.geom"), "level, name, parent_code",
            scope -> scope.areas("a.code"), """
            SELECT a.code::text AS id, a.level, a.name, a.parent_code::text AS parent_code, a.geom
              FROM admin_area a
             WHERE %1$s AND %2$s
            """),

    GRIDS("grids", "网格 Grids", "Grid boundaries with their building and household counts.",
            "MultiPolygon", true, List.of("community_code"), List.of("g.geom"), "code, name, community_code, buildings, households",
            scope -> scope.grids("g.id", "g.community_code"), """
            SELECT g.id, g.code, g.name, g.community_code::text AS community_code,
                   (SELECT count(*) FROM building b WHERE b.grid_id = g.id) AS buildings,
                   (SELECT coalesce(sum(b.households), 0) FROM building b WHERE b.grid_id = g.id) AS households,
                   g.geom
              FROM grid g
             WHERE %1$s AND %2$s
            """),

    COMPOUNDS("compounds", "小区(院落) Compounds", "Residential compounds, with or without property management.",
            "MultiPolygon", true, List.of("grid_id", "area_code"), List.of("c.geom"), "name, has_property_management, area_code, grid_id, buildings",
            scope -> scope.rows("c.area_code", "c.grid_id"), """
            SELECT c.id, c.name, c.has_property_management, c.area_code::text AS area_code, c.grid_id,
                   (SELECT count(*) FROM building b WHERE b.compound_id = c.id) AS buildings,
                   c.geom
              FROM compound c
             WHERE %1$s AND %2$s
            """),

    BUILDINGS("buildings", "楼栋 Buildings",
            "Buildings (footprint, else the entrance point) with households, units and whether a building head "
                    + "is in office today.",
            "Geometry", true, List.of("grid_id", "area_code", "compound_id", "has_building_head"),
            List.of("b.entrance", "b.footprint"), "name, address, floors, households, area_code, grid_id, compound_id, units, has_building_head",
            scope -> scope.rows("b.area_code", "b.grid_id"), """
            SELECT b.id, b.name, b.address, b.floors, b.households, b.area_code::text AS area_code, b.grid_id,
                   b.compound_id,
                   (SELECT count(*) FROM unit u WHERE u.building_id = b.id) AS units,
                   EXISTS (SELECT 1 FROM role_assignment r WHERE r.role = 'building_head'
                             AND r.scope_building_id = b.id AND %3$s) AS has_building_head,
                   coalesce(b.footprint, b.entrance) AS geom
              FROM building b
             WHERE %1$s AND %2$s
            """),

    UNITS("units", "单元 Units", "Units (stairwells, entrances) with households and whether a unit head is in office today; "
            + "the unit's entrance, else its building's.",
            "Point", true, List.of("building_id", "grid_id", "has_unit_head"), List.of("u.entrance", "b.entrance"), "building_id, number, households, grid_id, area_code, has_unit_head",
            scope -> scope.rows("b.area_code", "b.grid_id"), """
            SELECT u.id, u.building_id, u.number, u.households, b.grid_id, b.area_code::text AS area_code,
                   EXISTS (SELECT 1 FROM role_assignment r WHERE r.role = 'unit_head'
                             AND r.scope_unit_id = u.id AND %3$s) AS has_unit_head,
                   coalesce(u.entrance, b.entrance) AS geom
              FROM unit u JOIN building b ON b.id = u.building_id
             WHERE %1$s AND %2$s
            """),

    // facilities carry no personal data: a grid worker sees those of the grid's whole community
    FACILITIES("facilities", "服务设施 Facilities",
            "Pharmacies, clinics, health centres, hospitals, stations and offices, with opening hours (OSM syntax).",
            "Point", true, List.of("kind", "grid_id", "area_code"), List.of("f.location"), "kind, name, opening_hours, phone, address, area_code, grid_id",
            scope -> scope.rows("f.area_code", null), """
            SELECT f.id, f.kind, f.name, f.opening_hours, f.phone, f.address, f.area_code::text AS area_code,
                   f.grid_id, f.location AS geom
              FROM facility f
             WHERE %1$s AND %2$s
            """),

    /** The routing graph's edges, stored by {@code RoadEdgeStore}; cut to the caller's areas like the map's roads. */
    ROAD_EDGES("road-edges", "道路 Road network",
            "The edges of caregrid's routing graph (from the OSM file it routes on) with their OSM road class: the "
                    + "network that walks, rides and drives are computed on. Empty until the graph has been built.",
            "LineString", true, List.of("road_class"), List.of("e.geom"), "road_class",
            Layer::roadsInScope, """
            SELECT e.edge_id AS id, e.road_class, e.geom
              FROM road_edge e
             WHERE %1$s AND %2$s
            """),

    KEY_PERSON_BUILDINGS("key-person-buildings", "重点人员楼栋 Key persons per building",
            "How many key persons live in each building (aggregates only: no names, no persons), and how many "
                    + "of them are at high risk or have no responsible person today.",
            "Point", true, List.of("grid_id", "area_code"), List.of("b.entrance"), "name, area_code, grid_id, key_persons, high_risk, without_responsible",
            scope -> scope.rows("b.area_code", "b.grid_id"), """
            SELECT b.id, b.name, b.area_code::text AS area_code, b.grid_id,
                   k.key_persons, k.high_risk, k.without_responsible, b.entrance AS geom
              FROM building b
              JOIN (SELECT p.building_id, count(*) AS key_persons,
                           count(*) FILTER (WHERE kp.risk_level = 'high') AS high_risk,
                           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM role_assignment r
                                  WHERE r.role = 'responsible' AND r.scope_person_id = kp.person_id AND %3$s))
                               AS without_responsible
                      FROM key_person kp JOIN person p ON p.id = kp.person_id
                     -- a person closed before today (deceased, moved away) lives there no more
                     WHERE p.building_id IS NOT NULL AND (p.closed_on IS NULL OR p.closed_on >= %4$s)
                     GROUP BY p.building_id) k ON k.building_id = b.id
             WHERE %1$s AND %2$s
            """),

    /** Counts of the visit ledger per building and day (Beijing time): aggregates, never the persons visited. */
    VISITS("visits", "走访 Visits per building and day",
            "How many visits (and how many of them door to door) were recorded for the key persons of each building "
                    + "on each day, and how many key persons they reached: counts only, no persons. Filter by day "
                    + "with datetime (a day, or an interval such as 2026-11-01/2026-11-30 or ../2026-11-30).",
            "Point", false, List.of("grid_id", "area_code", "building_id", "day"), List.of("b.entrance"),
            "building_id, building, day, visits, door_visits, key_persons_visited, area_code, grid_id",
            scope -> scope.rows("b.area_code", "b.grid_id"), """
            SELECT b.id::text || '-' || to_char(d.day, 'YYYYMMDD') AS id, b.id AS building_id, b.name AS building,
                   to_char(d.day, 'YYYY-MM-DD') AS day, d.visits, d.door_visits, d.key_persons_visited,
                   b.area_code::text AS area_code, b.grid_id, b.entrance AS geom
              FROM (SELECT p.building_id, (v.visited_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS visits,
                           count(*) FILTER (WHERE v.method = 'door') AS door_visits,
                           count(DISTINCT v.key_person_id) AS key_persons_visited
                      FROM visit v JOIN person p ON p.id = v.key_person_id
                     WHERE p.building_id IS NOT NULL
                       -- midnight in Beijing as an instant: a timestamp without zone, placed in Asia/Shanghai
                       AND (CAST(:day_from AS date) IS NULL
                            OR v.visited_at >= CAST(CAST(:day_from AS date) AS timestamp) AT TIME ZONE 'Asia/Shanghai')
                       AND (CAST(:day_to AS date) IS NULL
                            OR v.visited_at < CAST(CAST(:day_to AS date) + 1 AS timestamp) AT TIME ZONE 'Asia/Shanghai')
                     GROUP BY p.building_id, day) d
              JOIN building b ON b.id = d.building_id
             WHERE %1$s AND %2$s
            """),

    /**
     * Building and unit heads by their term of office, at their building's entrance: the appointment, never
     * the person. {@code datetime} keeps the terms that overlap the days asked for.
     */
    ASSIGNMENTS("assignments", "楼栋长/单元长任职 Heads in office",
            "The terms of office of building heads (楼栋长) and unit heads (单元长): role, building, unit, first and last "
                    + "day (valid_to empty while in office), at the building's entrance; no persons. Filter by day with "
                    + "datetime: a term is kept when it overlaps the days asked for (datetime=2026-11-30: in office that day).",
            "Point", true, List.of("grid_id", "area_code", "building_id", "role"), List.of("b.entrance"),
            "role, building_id, building, unit_id, unit, valid_from, valid_to, area_code, grid_id",
            scope -> scope.rows("b.area_code", "b.grid_id"), """
            SELECT r.id, r.role, b.id AS building_id, b.name AS building, u.id AS unit_id, u.number AS unit,
                   to_char(r.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(r.valid_to, 'YYYY-MM-DD') AS valid_to,
                   b.area_code::text AS area_code, b.grid_id, b.entrance AS geom
              FROM role_assignment r
              LEFT JOIN unit u ON u.id = r.scope_unit_id
              JOIN building b ON b.id = coalesce(r.scope_building_id, u.building_id)
             WHERE r.role IN ('building_head', 'unit_head')
               AND (CAST(:day_to AS date) IS NULL OR r.valid_from <= CAST(:day_to AS date))
               AND (CAST(:day_from AS date) IS NULL OR r.valid_to IS NULL OR r.valid_to >= CAST(:day_from AS date))
               AND %1$s AND %2$s
            """),

    /** The rows come from {@link CoverageLayer}: one per place and level, every metric as properties. */
    COVERAGE("coverage", "覆盖率 Coverage per area",
            "One feature per admin area and grid (with its level): every coverage metric's rate, gaps, total and "
                    + "target as <metric>_rate, <metric>_gaps, <metric>_total, <metric>_target.",
            "MultiPolygon", false, List.of("level"), List.of("coalesce(g.geom, a.geom)"), "level, code, name, grid_id",
            Layer::placesInScope, """
            SELECT c.id, c.level, c.code, c.name, c.grid_id, c.figures, coalesce(g.geom, a.geom) AS geom
              FROM jsonb_to_recordset(CAST(:coverage AS jsonb))
                   AS c(id text, level text, code text, name text, grid_id bigint, figures jsonb)
              LEFT JOIN grid g ON g.id = c.grid_id
              LEFT JOIN admin_area a ON c.grid_id IS NULL AND a.code = c.code
             WHERE %1$s AND %2$s
            """);

    /** Coverage rows of admin areas and grids inside the scope only (the roll-up also yields the levels above it). */
    private static SqlPredicate placesInScope(AreaScope scope) {
        SqlPredicate areas = scope.areas("c.code");
        SqlPredicate grids = scope.grids("c.grid_id", "g.community_code");
        java.util.Map<String, Object> params = new java.util.HashMap<>(areas.params());
        params.putAll(grids.params());
        return new SqlPredicate("((c.grid_id IS NULL AND " + areas.sql() + ") OR (c.grid_id IS NOT NULL AND "
                + grids.sql() + "))", params);
    }

    /**
     * Roads touching the extent of the caller's areas, as {@code GET /api/roads} cuts them: roads are no one's
     * personal data, so an area without a boundary on record cuts nothing.
     */
    private static SqlPredicate roadsInScope(AreaScope scope) {
        if (scope instanceof AreaScope.Everywhere) {
            return SqlPredicate.TRUE;
        }
        SqlPredicate areas = scope.areas("a.code");
        return new SqlPredicate("e.geom && coalesce((SELECT ST_SetSRID(ST_Extent(a.geom)::geometry, 4326) FROM admin_area a "
                + "WHERE " + areas.sql() + "), e.geom)", areas.params());
    }

    /**
     * The day the request is served, in the configured zone (Asia/Shanghai) as the connection carries it
     * (db/ScopedDataSource; the SQL function of V36): the database's current_date follows its own clock zone, a day
     * behind from 16:00 UTC.
     */
    static final String TODAY = "caregrid_today()";

    /** A role assignment in office on the day the request is served. */
    static final String ROLE_ACTIVE_TODAY =
            "r.valid_from <= " + TODAY + " AND (r.valid_to IS NULL OR r.valid_to >= " + TODAY + ")";

    private final String id;
    private final String title;
    private final String description;
    private final String geometryType;
    private final boolean integerIds;
    private final List<String> queryables;
    private final List<String> bboxColumns;
    /** The property columns of a row, in order: every column but the id and the geometry. */
    private final List<String> properties;
    private final Function<AreaScope, SqlPredicate> scope;
    private final String selectSql;

    Layer(String id, String title, String description, String geometryType, boolean integerIds,
          List<String> queryables, List<String> bboxColumns, String properties, Function<AreaScope, SqlPredicate> scope,
          String selectSql) {
        this.properties = List.of(properties.split(",\\s*"));
        this.id = id;
        this.title = title;
        this.description = description;
        this.geometryType = geometryType;
        this.integerIds = integerIds;
        this.queryables = queryables;
        this.bboxColumns = bboxColumns;
        this.scope = scope;
        this.selectSql = selectSql;
    }

    String id() {
        return id;
    }

    /**
     * Whether a feature's properties sum up a whole area (a grid's households, an area's coverage): a write
     * anywhere in the area changes a feature drawn in tiles far from it, so its tiles follow every write.
     * Other layers' features change only with writes at their own place (data_change extents, V37).
     */
    boolean sumsUpAreas() {
        return this == GRIDS || this == COVERAGE;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    String geometryType() {
        return geometryType;
    }

    /**
     * A feature's properties as jsonb from the row {@code p}, built from the listed columns: {@code to_jsonb(p)}
     * would also turn the geometry into GeoJSON, only to drop it (most of a tile's time). Coverage's figures
     * are spread out.
     */
    String propertiesSql() {
        String object = "jsonb_build_object(" + String.join(", ", properties.stream().map(c -> "'" + c + "', p." + c).toList()) + ")";
        return this == COVERAGE ? object + " || p.figures" : object;
    }

    /** The property columns for ST_AsMVT, which makes each an attribute (coverage's figures from their jsonb). */
    String propertyColumnsSql() {
        String columns = String.join(", ", properties.stream().map(c -> "p." + c).toList());
        return this == COVERAGE ? columns + ", p.figures" : columns;
    }

    /** Whether items have days, which {@code datetime} filters: the visits' day, the assignments' term. */
    boolean temporal() {
        return this == VISITS || this == ASSIGNMENTS;
    }

    /**
     * The first and last day of the rows {@code r} of a temporal layer, as ISO dates ({@code first}, {@code last});
     * the last is null while a term is open.
     */
    String temporalExtentSql() {
        return this == ASSIGNMENTS
                ? "min(r.valid_from) AS first, CASE WHEN bool_or(r.valid_to IS NULL) THEN NULL ELSE max(r.valid_to) END AS last"
                : "min(r.day) AS first, max(r.day) AS last";
    }

    /** Whether feature ids are integers (MVT feature ids); otherwise text, e.g. an area code. */
    boolean integerIds() {
        return integerIds;
    }

    /** Properties that items may be filtered by, {@code ?name=value}. */
    List<String> queryables() {
        return queryables;
    }

    static Optional<Layer> byId(String id) {
        return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst();
    }

    /**
     * The layer's rows inside the scope and, when {@code envelope} is not null, touching it.
     *
     * @param envelope an SQL expression of a WGS84 polygon, or null for no spatial filter
     */
    String select(AreaScope areaScope, String envelope, java.util.Map<String, Object> params) {
        SqlPredicate predicate = scope.apply(areaScope);
        params.putAll(predicate.params());
        if (temporal()) {
            // every day unless the caller's datetime has set them
            params.putIfAbsent("day_from", null);
            params.putIfAbsent("day_to", null);
        }
        String box = envelope == null ? "TRUE" : "(" + String.join(" OR ",
                bboxColumns.stream().map(c -> c + " && " + envelope).toList()) + ")";
        return selectSql.formatted(predicate.sql(), box, ROLE_ACTIVE_TODAY, TODAY);
    }
}
