package org.caregrid.server.coverage;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The coverage metrics. Each is a population of items (buildings, units, key persons, grids,
 * compounds, communities, streets) and a condition an item meets or not. {@link #itemsSql} yields
 * one row per item: {@code item_id, grid_id, area_code, building_id, ok, value, estimate} (the building an
 * item is in or is, null for the items of grids and areas); the roll-up over the admin hierarchy and the
 * drill-down lists are the same SQL for every metric.
 *
 * <p>Parameters every item query may use: {@code :as_of} (the day), {@code :tz}, and the thresholds
 * of {@link CoverageProperties}.
 */
public enum Metric {

    BUILDING_HEADS("building-heads", "building", """
            SELECT b.id AS item_id, b.grid_id, b.area_code, b.id AS building_id,
                   EXISTS (SELECT 1 FROM role_assignment r
                            WHERE r.role = 'building_head' AND r.scope_building_id = b.id
                              AND %1$s) AS ok,
                   NULL::float8 AS value, false AS estimate
              FROM building b
            """),

    UNIT_HEADS("unit-heads", "unit", """
            SELECT u.id AS item_id, b.grid_id, b.area_code, u.building_id,
                   EXISTS (SELECT 1 FROM role_assignment r
                            WHERE r.role = 'unit_head' AND r.scope_unit_id = u.id
                              AND %1$s) AS ok,
                   NULL::float8 AS value, false AS estimate
              FROM unit u JOIN building b ON b.id = u.building_id
            """),

    RESPONSIBILITY("responsibility", "person", """
            SELECT k.person_id AS item_id, p.grid_id, p.area_code, p.building_id,
                   EXISTS (SELECT 1 FROM role_assignment r
                            WHERE r.role = 'responsible' AND r.scope_person_id = k.person_id
                              AND %1$s) AS ok,
                   NULL::float8 AS value, false AS estimate
              FROM key_person k JOIN person p ON p.id = k.person_id
             WHERE %3$s
            """),

    /**
     * The walk to the nearest responsible person in office: the road network's (responsible_walk)
     * where it has been computed, else the straight line times the detour factor, marked as an
     * estimate. A responsible person the network says cannot walk there is a gap with no value.
     */
    RESPONSIBLE_DISTANCE("responsible-distance", "person", """
            SELECT d.person_id AS item_id, d.grid_id, d.area_code, d.building_id,
                   coalesce(w.metres, CASE WHEN w.pairs IS NULL THEN d.metres END) <= :responsible_max_m AS ok,
                   CASE WHEN w.pairs > 0 THEN w.metres ELSE d.metres END AS value,
                   w.pairs IS NULL AS estimate
              FROM (SELECT k.person_id, p.grid_id, p.area_code, p.building_id,
                           min(ST_Distance(coalesce(p.location, pu.entrance, pb.entrance)::geography,
                                           coalesce(v.home, rp.location, ru.entrance, rb.entrance)::geography))
                             * :detour_factor AS metres
                      FROM role_assignment r
                      JOIN key_person k ON k.person_id = r.scope_person_id
                      JOIN person p ON p.id = k.person_id
                      LEFT JOIN unit pu ON pu.id = p.unit_id
                      LEFT JOIN building pb ON pb.id = p.building_id
                      JOIN person rp ON rp.id = r.person_id
                      LEFT JOIN volunteer v ON v.person_id = rp.id
                      LEFT JOIN unit ru ON ru.id = rp.unit_id
                      LEFT JOIN building rb ON rb.id = rp.building_id
                     WHERE r.role = 'responsible' AND %1$s AND %3$s
                     GROUP BY k.person_id, p.grid_id, p.area_code, p.building_id) d
              LEFT JOIN (SELECT rw.key_person_id, count(DISTINCT rw.responsible_person_id) AS pairs,
                                min(rw.distance_m) FILTER (WHERE rw.status = 'reached') AS metres
                           FROM responsible_walk rw
                           JOIN role_assignment r ON r.scope_person_id = rw.key_person_id
                                                 AND r.person_id = rw.responsible_person_id
                          WHERE r.role = 'responsible' AND %1$s
                          GROUP BY rw.key_person_id) w ON w.key_person_id = d.person_id
             WHERE d.metres IS NOT NULL
            """),

    /** Overdue when the day is past the last visit (or the registration) plus the interval. */
    VISITS("visits", "person", """
            SELECT k.person_id AS item_id, p.grid_id, p.area_code, p.building_id,
                   s.due >= :as_of AS ok,
                   (:as_of - s.due)::float8 AS value, false AS estimate
              FROM key_person k
              JOIN person p ON p.id = k.person_id
              -- each key person's last visit day, all in one pass over the ledger
              LEFT JOIN (SELECT v.key_person_id, max((v.visited_at AT TIME ZONE :tz)::date) AS last_day
                           FROM visit v
                          WHERE (v.visited_at AT TIME ZONE :tz)::date <= :as_of
                          GROUP BY v.key_person_id) lv ON lv.key_person_id = k.person_id
              CROSS JOIN LATERAL (SELECT coalesce(lv.last_day, k.registered_on) + %2$s AS due) s
             WHERE %3$s
            """),

    /**
     * Minutes of walking to the nearest health facility: the routing result where there is one,
     * else a straight-line estimate (marked {@code estimate}). A home that the road network cannot
     * reach counts as a gap with no value.
     */
    PHARMACY_ACCESS("pharmacy-access", "person", """
            SELECT e.item_id, e.grid_id, e.area_code, e.building_id,
                   e.minutes <= :pharmacy_max_min AND coalesce(e.status, 'reached') = 'reached' AS ok,
                   e.minutes AS value, e.status IS NULL AS estimate
              FROM (SELECT k.person_id AS item_id, p.grid_id, p.area_code, p.building_id, n.status,
                           CASE WHEN n.status = 'reached' THEN n.duration_s / 60.0
                                WHEN n.status IS NULL THEN (
                                  -- the straight-line estimate, looked up only for persons with no stored walk
                                  SELECT ST_Distance(coalesce(p.location, pu.entrance, pb.entrance)::geography, f.location::geography)
                                           * :detour_factor / :walking_speed / 60.0
                                    FROM facility f
                                   WHERE f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
                                   ORDER BY f.location <-> coalesce(p.location, pu.entrance, pb.entrance)
                                   LIMIT 1)
                           END AS minutes
                      FROM key_person k
                      JOIN person p ON p.id = k.person_id
                      LEFT JOIN unit pu ON pu.id = p.unit_id
                      LEFT JOIN building pb ON pb.id = p.building_id
                      LEFT JOIN nearest_facility n ON n.person_id = k.person_id AND n.facility_group = 'health'
                     WHERE %3$s) e
            """),

    /**
     * Volunteers living in the grid, or assigned to it (delivery squad, reserve). Counted per grid
     * in one pass (GROUP BY), not per grid by a correlated subquery: a district has a thousand grids.
     */
    VOLUNTEERS("volunteers", "grid", """
            SELECT g.id AS item_id, g.id AS grid_id, g.community_code AS area_code, NULL::bigint AS building_id,
                   coalesce(v.n, 0) >= coalesce(k.n, 0) * :volunteers_per_key AS ok,
                   CASE WHEN k.n > 0 THEN coalesce(v.n, 0)::float8 / k.n END AS value,
                   false AS estimate
              FROM grid g
              LEFT JOIN (SELECT x.grid_id, count(DISTINCT x.person_id) AS n
                           FROM (SELECT vp.grid_id, v.person_id FROM volunteer v JOIN person vp ON vp.id = v.person_id
                                  WHERE %4$s
                                 UNION ALL
                                 SELECT r.scope_grid_id, r.person_id FROM role_assignment r
                                   JOIN volunteer v ON v.person_id = r.person_id
                                  WHERE r.role IN ('delivery_squad', 'reserve') AND r.scope_grid_id IS NOT NULL AND %1$s) x
                          GROUP BY x.grid_id) v ON v.grid_id = g.id
              LEFT JOIN (SELECT kp.grid_id, count(*) AS n FROM key_person k JOIN person kp ON kp.id = k.person_id
                          WHERE %5$s GROUP BY kp.grid_id) k ON k.grid_id = g.id
            """),

    DELIVERY_SQUAD("delivery-squad", "grid", """
            SELECT g.id AS item_id, g.id AS grid_id, g.community_code AS area_code, NULL::bigint AS building_id,
                   coalesce(m.n, 0) >= coalesce(k.n, 0) * :squad_per_need AS ok,
                   CASE WHEN k.n > 0 THEN coalesce(m.n, 0)::float8 / k.n END AS value,
                   false AS estimate
              FROM grid g
              LEFT JOIN (SELECT x.grid_id, count(DISTINCT x.person_id) AS n
                           FROM (SELECT vp.grid_id, v.person_id FROM volunteer v JOIN person vp ON vp.id = v.person_id
                                  WHERE 'medicine_delivery' = ANY (v.teams) AND %4$s
                                 UNION ALL
                                 SELECT r.scope_grid_id, r.person_id FROM role_assignment r
                                   JOIN volunteer v ON v.person_id = r.person_id
                                  WHERE r.role = 'delivery_squad' AND r.scope_grid_id IS NOT NULL AND %1$s) x
                          GROUP BY x.grid_id) m ON m.grid_id = g.id
              LEFT JOIN (SELECT kp.grid_id, count(*) AS n FROM key_person k JOIN person kp ON kp.id = k.person_id
                          WHERE 'medicine_delivery' = ANY (k.needs) AND %5$s GROUP BY kp.grid_id) k ON k.grid_id = g.id
            """),

    RESERVE("reserve", "grid", """
            SELECT g.id AS item_id, g.id AS grid_id, g.community_code AS area_code, NULL::bigint AS building_id,
                   coalesce(rs.n, 0) >= coalesce(rg.n, 0) * :reserve_per_regular AS ok,
                   CASE WHEN rg.n > 0 THEN coalesce(rs.n, 0)::float8 / rg.n END AS value,
                   false AS estimate
              FROM grid g
              LEFT JOIN (SELECT x.grid_id, count(DISTINCT x.person_id) AS n
                           FROM (SELECT vp.grid_id, v.person_id FROM volunteer v JOIN person vp ON vp.id = v.person_id
                                  WHERE v.is_reserve AND coalesce(v.reserve_tier, 'street') = 'street' AND %4$s
                                 UNION ALL
                                 SELECT r.scope_grid_id, r.person_id FROM role_assignment r
                                   JOIN volunteer v ON v.person_id = r.person_id
                                  WHERE r.role = 'reserve' AND coalesce(r.tier, 'street') = 'street'
                                    AND r.scope_grid_id IS NOT NULL AND %1$s) x
                          GROUP BY x.grid_id) rs ON rs.grid_id = g.id
              LEFT JOIN (SELECT r.scope_grid_id AS grid_id, count(DISTINCT r.person_id) AS n FROM role_assignment r
                          WHERE r.role IN ('grid_worker', 'community_worker') AND r.scope_grid_id IS NOT NULL AND %1$s
                          GROUP BY r.scope_grid_id) rg ON rg.grid_id = g.id
            """),

    COMMUNITY_ORGANISATIONS("community-organisations", "community", """
            SELECT a.code AS item_id, NULL::bigint AS grid_id, a.code AS area_code, NULL::bigint AS building_id,
                   c.n >= :orgs_per_community AS ok, c.n::float8 AS value, false AS estimate
              FROM admin_area a
              CROSS JOIN LATERAL (SELECT count(*) AS n FROM micro_organisation m
                                   WHERE m.area_code = a.code AND m.active) c
             WHERE a.level = 'community'
            """),

    // the organisations counted per compound once, not looked up compound by compound: compounds grow with the
    // residents, and a district's summary reads this on every request
    COMPOUND_ORGANISATIONS("compound-organisations", "compound", """
            SELECT cp.id AS item_id, cp.grid_id, cp.area_code, NULL::bigint AS building_id,
                   coalesce(c.n, 0) >= :orgs_per_compound AS ok, coalesce(c.n, 0)::float8 AS value, false AS estimate
              FROM compound cp
              LEFT JOIN (SELECT m.compound_id, count(*) AS n FROM micro_organisation m
                          WHERE m.active AND m.compound_id IS NOT NULL GROUP BY m.compound_id) c ON c.compound_id = cp.id
            """),

    SOCIAL_WORK_STATIONS("social-work-stations", "street", """
            SELECT a.code AS item_id, NULL::bigint AS grid_id, a.code AS area_code, NULL::bigint AS building_id,
                   EXISTS (SELECT 1 FROM facility f WHERE f.kind = 'social_work_station'
                            AND f.area_code LIKE substr(a.code, 1, 9) || '%%') AS ok,
                   NULL::float8 AS value, false AS estimate
              FROM admin_area a
             WHERE a.level = 'street'
            """),

    VOLUNTEER_STATIONS("volunteer-stations", "community", """
            SELECT a.code AS item_id, NULL::bigint AS grid_id, a.code AS area_code, NULL::bigint AS building_id,
                   EXISTS (SELECT 1 FROM facility f WHERE f.kind = 'volunteer_service_station'
                            AND f.area_code = a.code) AS ok,
                   NULL::float8 AS value, false AS estimate
              FROM admin_area a
             WHERE a.level = 'community'
            """),

    /**
     * Needs waiting for a taker (需求清单 not yet 接单) on the day: each is an item, a gap when it has waited
     * longer than the configured days. A need stops waiting when it is taken, escalated or done, which it
     * never undoes, so the earliest of those days says when. Read from the need table directly: it holds only the
     * needs, a few per key person; the maintained reading takes their places from the maintained key persons
     * (V39 records a need's changes for the kept counts).
     */
    NEEDS_OPEN("needs-open", "need", needsWaiting("person x ON x.id"));

    /**
     * The needs still waiting on {@code :as_of}, placed by {@code places} (aliased x, joined on the key person), of
     * persons in the register on the day. Days are compared as the instants they start, on the columns themselves:
     * their statistics then estimate how many wait (a local day per row estimated a tenth of a 10 M city's 1.9 M, and
     * they were read by a probe per key person), and a need is not turned into a local day to be counted (0.5 s of 3 s
     * at 10 M); ok: opened on or after the day {@code :need_open_max_days} before.
     */
    private static String needsWaiting(String places) {
        return """
                SELECT n.id AS item_id, x.grid_id, x.area_code, x.building_id,
                       n.opened_at >= (CAST(CAST(:as_of AS date) - :need_open_max_days AS timestamp) AT TIME ZONE :tz) AS ok,
                       (:as_of - (n.opened_at AT TIME ZONE :tz)::date)::float8 AS value, false AS estimate
                  FROM need n JOIN %1$s = n.key_person_id
                 WHERE n.opened_at < %2$s
                   AND (n.taken_at IS NULL OR n.taken_at >= %2$s)
                   AND (n.escalated_at IS NULL OR n.escalated_at >= %2$s)
                   AND (n.done_at IS NULL OR n.done_at >= %2$s)
                   AND %3$s
                """.formatted(places, NEXT_DAY_STARTS, inRegister("x"));
    }

    /** The instant the day after {@code :as_of} starts in {@code :tz}: before it is on or before the day. */
    private static final String NEXT_DAY_STARTS = "(CAST(CAST(:as_of AS date) + 1 AS timestamp) AT TIME ZONE :tz)";

    /** A role assignment in force on {@code :as_of}; valid_to is inclusive. */
    static final String ROLE_ACTIVE = "r.valid_from <= :as_of AND (r.valid_to IS NULL OR r.valid_to >= :as_of)";

    /**
     * A person still in the register on {@code :as_of}: not closed, or closed on that day or later (the
     * closing day is their last day, as valid_to is an assignment's); {@code person} is the person table's alias.
     */
    static String inRegister(String person) {
        return "(%1$s.closed_on IS NULL OR %1$s.closed_on >= :as_of)".formatted(person);
    }

    /** A key person's visit interval: their own, else the shortest of their risk's and categories'. */
    static final String VISIT_INTERVAL = """
            coalesce(k.visit_interval_days,
                     least((SELECT d FROM unnest(CAST(:risk_names AS text[]), CAST(:risk_days AS int[])) AS r(n, d)
                             WHERE r.n = k.risk_level),
                           (SELECT min(d) FROM unnest(CAST(:category_names AS text[]), CAST(:category_days AS int[])) AS c(n, d)
                             WHERE c.n = ANY (k.categories))),
                     30)""";

    private final String id;
    private final String itemKind;
    private final String itemsSqlTemplate;

    /** The metric's words are in vocabulary*.properties ({@link MetricLabels}), with the configured numbers. */
    Metric(String id, String itemKind, String itemsSqlTemplate) {
        this.id = id;
        this.itemKind = itemKind;
        this.itemsSqlTemplate = itemsSqlTemplate;
    }

    public String id() {
        return id;
    }

    /** What one item is: building, unit, person, grid, compound, community or street. */
    public String itemKind() {
        return itemKind;
    }

    public boolean listsPersons() {
        return itemKind.equals("person");
    }

    /** The full computation from the source tables: the reference the maintained state is checked against. */
    public String itemsSql() {
        return itemsSqlTemplate.formatted(ROLE_ACTIVE, VISIT_INTERVAL, inRegister("p"), inRegister("vp"), inRegister("kp"));
    }

    /** How a report finds its items. */
    public enum Computation {
        /** From the per-item state that triggers keep current (V20__coverage_state.sql). */
        MAINTAINED,
        /** From the source tables, every time ({@link #itemsSql()}). */
        FULL
    }

    public String itemsSql(Computation computation) {
        String maintained = maintainedSql();
        return computation == Computation.FULL || maintained == null ? itemsSql() : maintained;
    }

    /**
     * The items from the maintained state, in the columns of {@link #itemsSql()}; null for the metrics
     * of areas and compounds, whose full computation already grows with the number of areas, not residents.
     */
    String maintainedSql() {
        return switch (this) {
            case BUILDING_HEADS -> """
                    SELECT c.building_id AS item_id, c.grid_id, c.area_code, c.building_id, c.head_days @> CAST(:as_of AS date) AS ok,
                           NULL::float8 AS value, false AS estimate
                      FROM coverage_building c
                    """;
            case UNIT_HEADS -> """
                    SELECT c.unit_id AS item_id, c.grid_id, c.area_code, c.building_id, c.head_days @> CAST(:as_of AS date) AS ok,
                           NULL::float8 AS value, false AS estimate
                      FROM coverage_unit c
                    """;
            case RESPONSIBILITY -> """
                    SELECT c.person_id AS item_id, c.grid_id, c.area_code, c.building_id, c.responsible_days @> CAST(:as_of AS date) AS ok,
                           NULL::float8 AS value, false AS estimate
                      FROM coverage_key_person c
                     WHERE %s
                    """.formatted(inRegister("c"));
            case RESPONSIBLE_DISTANCE -> """
                    SELECT c.person_id AS item_id, c.grid_id, c.area_code, c.building_id, c.ok, c.metres AS value, c.estimate
                      FROM coverage_responsible c
                     WHERE c.days @> CAST(:as_of AS date)
                    """;
            // the stored due day answers any day on or after the last visit; an earlier day looks its visit up
            case VISITS -> """
                    SELECT c.person_id AS item_id, c.grid_id, c.area_code, c.building_id, c.visit_ok_days @> CAST(:as_of AS date) AS ok,
                           (CAST(:as_of AS date) - CASE WHEN c.last_visit_on IS NULL OR c.last_visit_on <= :as_of THEN c.due_on
                               ELSE coalesce((SELECT max((v.visited_at AT TIME ZONE :tz)::date) FROM visit v
                                               WHERE v.key_person_id = c.person_id
                                                 AND (v.visited_at AT TIME ZONE :tz)::date <= :as_of),
                                             c.registered_on) + c.interval_days END)::float8 AS value,
                           false AS estimate
                      FROM coverage_key_person c
                     WHERE %s
                    """.formatted(inRegister("c"));
            case PHARMACY_ACCESS -> """
                    SELECT c.person_id AS item_id, c.grid_id, c.area_code, c.building_id, c.pharmacy_ok AS ok, c.pharmacy_minutes AS value,
                           c.pharmacy_status IS NULL AS estimate
                      FROM coverage_key_person c
                     WHERE %s
                    """.formatted(inRegister("c"));
            case VOLUNTEERS -> gridRatio("volunteer", "(coalesce(t.key_persons, 0) + coalesce(cl.key_persons, 0))",
                    ":volunteers_per_key");
            case DELIVERY_SQUAD -> gridRatio("delivery_squad", "(coalesce(t.medicine_needs, 0) + coalesce(cl.medicine_needs, 0))",
                    ":squad_per_need");
            case RESERVE -> gridRatio("reserve", "rg.n", ":reserve_per_regular");
            // the needs themselves are few; their places come from the maintained key persons, not the register
            case NEEDS_OPEN -> needsWaiting("coverage_key_person x ON x.person_id");
            default -> null;
        };
    }

    /**
     * The maintained gaps that can fill a page of this metric's gap list, worst first, each branch read from an
     * index in the list's order ({@code value DESC NULLS LAST, item_id}) and cut at {@code :page_end} rows, so that
     * a page does not sort every gap of a city; null for the metrics whose few items are sorted whole. {@code %1$s}
     * is the page's filter on the columns of alias {@code i}. The union holds the page: each branch has its own
     * first {@code :page_end} rows, or all of its rows.
     */
    String gapsInListOrderSql() {
        String maintained = maintainedSql();
        return switch (this) {
            // no value: the gaps in the order of their ids, from the primary key
            case BUILDING_HEADS, UNIT_HEADS, RESPONSIBILITY -> firstGaps(maintained, "i.item_id");
            // V43's partial indexes hold the gaps by value
            case RESPONSIBLE_DISTANCE, PHARMACY_ACCESS -> firstGaps(maintained, "i.value DESC NULLS LAST, i.item_id");
            // on a day on or after the person's last visit, days overdue fall as the due day rises: the due-day index.
            // Visits after the day (a past day's report) leave the due day behind; those persons are few for any
            // recent day, found by the last-visit index, and sorted with the rest.
            case VISITS -> firstGaps("""
                    SELECT c.person_id AS item_id, c.grid_id, c.area_code, c.building_id, false AS ok,
                           (CAST(:as_of AS date) - c.due_on)::float8 AS value, false AS estimate, c.due_on
                      FROM coverage_key_person c
                     WHERE %s AND c.due_on < :as_of AND (c.last_visit_on IS NULL OR c.last_visit_on <= :as_of)
                    """.formatted(inRegister("c")), "i.due_on, i.item_id")
                    + " UNION ALL (SELECT i.item_id, i.grid_id, i.area_code, i.building_id, i.ok, i.value, i.estimate FROM ("
                    + maintained + " AND c.last_visit_on > :as_of) i WHERE %1$s AND i.ok IS NOT TRUE)";
            default -> null;
        };
    }

    private static String firstGaps(String items, String order) {
        return "(SELECT i.item_id, i.grid_id, i.area_code, i.building_id, i.ok, i.value, i.estimate FROM (" + items
                + ") i WHERE %1$s AND i.ok IS NOT TRUE ORDER BY " + order + " LIMIT :page_end)";
    }

    /**
     * A grid metric: members of {@code role} in the grid on the day ≥ {@code yardstick} × {@code ratio}. The key
     * persons of a grid on the day are its open ones (the tally) and those closed on that day or later.
     */
    private static String gridRatio(String role, String yardstick, String ratio) {
        return """
                SELECT g.id AS item_id, g.id AS grid_id, g.community_code AS area_code, NULL::bigint AS building_id,
                       coalesce(m.n, 0) >= coalesce(%2$s, 0) * %3$s AS ok,
                       CASE WHEN %2$s > 0 THEN coalesce(m.n, 0)::float8 / %2$s END AS value,
                       false AS estimate
                  FROM grid g
                  LEFT JOIN coverage_grid_tally t ON t.grid_id = g.id
                  LEFT JOIN (SELECT grid_id, sum(key_persons) AS key_persons, sum(medicine_needs) AS medicine_needs
                               FROM coverage_grid_closed WHERE closed_on >= :as_of GROUP BY grid_id) cl ON cl.grid_id = g.id
                  LEFT JOIN (SELECT grid_id, count(*) AS n FROM coverage_grid_member
                              WHERE role = '%1$s' AND days @> CAST(:as_of AS date) GROUP BY grid_id) m ON m.grid_id = g.id
                  LEFT JOIN (SELECT grid_id, count(*) AS n FROM coverage_grid_member
                              WHERE role = 'regular' AND days @> CAST(:as_of AS date) GROUP BY grid_id) rg ON rg.grid_id = g.id
                """.formatted(role, yardstick, ratio);
    }

    /**
     * The tables {@link #maintainedSql()} reads, as V40's coverage_change names them: a change to one of them
     * makes the metric's counts in that place be counted again. Empty for the metrics that are not maintained.
     */
    java.util.Set<String> maintainedTables() {
        return switch (this) {
            case BUILDING_HEADS -> java.util.Set.of("coverage_building");
            case UNIT_HEADS -> java.util.Set.of("coverage_unit");
            case RESPONSIBILITY, PHARMACY_ACCESS -> java.util.Set.of("coverage_key_person");
            // a past day's visits are read from the ledger itself
            case VISITS -> java.util.Set.of("coverage_key_person", "visit");
            case RESPONSIBLE_DISTANCE -> java.util.Set.of("coverage_responsible");
            case VOLUNTEERS, DELIVERY_SQUAD, RESERVE -> java.util.Set.of("grid", "coverage_grid_tally",
                    "coverage_grid_closed", "coverage_grid_member");
            case NEEDS_OPEN -> java.util.Set.of("need", "coverage_key_person");
            default -> java.util.Set.of();
        };
    }

    public static Metric fromId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown metric '" + id + "'; known metrics: "
                        + Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", "))));
    }
}
