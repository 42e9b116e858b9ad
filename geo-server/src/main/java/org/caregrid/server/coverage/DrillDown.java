package org.caregrid.server.coverage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ObjLongConsumer;

import org.caregrid.server.db.Cursors;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The list behind a metric's figure: the buildings, units, persons or places, gaps first. */
@Component
public class DrillDown {

    /** Which items to list. */
    public enum Status { GAP, OK, ALL }

    /**
     * One item. {@code name} is null where the caller's role sees no names; {@code value} is the
     * metric's measure (days overdue, minutes of walking, metres, a ratio) where it has one.
     */
    public record Item(String id, String name, String place, String grid, boolean ok, Double value, boolean estimate,
                       List<String> categories, String riskLevel, String geometry) {
    }

    public record Page(String metric, String itemKind, long total, int page, int size, List<Item> items) {
    }

    /**
     * One page of items picked (and counted, where the kept counts do not already say how many) first; names,
     * places and shapes then for that page only. An item whose condition is unknown (ok NULL: a home the network
     * cannot reach) is a gap, as the figures count it.
     */
    private static final String LIST = """
            WITH item AS (%s),
            picked AS (
              SELECT i.item_id, i.grid_id, coalesce(i.ok, false) AS ok, i.value, i.estimate, %s AS matched
                FROM item i
               WHERE (:status = 'ALL' OR (:status = 'GAP') = (i.ok IS NOT TRUE))
                 AND %s
               ORDER BY coalesce(i.ok, false), i.value DESC NULLS LAST, i.item_id
               LIMIT :size OFFSET :offset
            )
            """;

    /** A page of gaps from the metric's gaps in list order ({@link Metric#gapsInListOrderSql}), the kept counts saying how many. */
    private static final String GAP_PAGE = """
            WITH picked AS (
              SELECT i.item_id, i.grid_id, false AS ok, i.value, i.estimate, CAST(NULL AS bigint) AS matched
                FROM (%s) i
               ORDER BY i.value DESC NULLS LAST, i.item_id
               LIMIT :size OFFSET :offset
            )
            """;

    /** The details of the picked page. */
    private static final String PAGE_DETAILS = """
            SELECT i.item_id::text AS id, i.ok, i.value, i.estimate, %s,
                   g.name AS grid_name, i.matched
              FROM picked i
              LEFT JOIN grid g ON g.id = i.grid_id
              %s
             ORDER BY i.ok, i.value DESC NULLS LAST, i.item_id
            """;

    /** A building behind a figure: how many of its items (the building, its units, its key persons) meet it. */
    public record BuildingRow(long id, String name, String address, String grid, long items, long ok, long gaps,
                              String geometry) {
    }

    public record BuildingPage(String metric, String itemKind, long total, int page, int size, List<BuildingRow> buildings) {
    }

    /**
     * The buildings of a page (ids in {@code :ids}), to put beside their counts; a building the caller may not see
     * (its key persons in the caller's place while it is not) is counted in the list's length and left off its page.
     * The grid's name is looked up per building: a join was once planned as a scan of every grid per building.
     */
    private static final String BUILDINGS = """
            SELECT b.id, b.name, b.address, (SELECT g.name FROM grid g WHERE g.id = b.grid_id) AS grid_name,
                   ST_AsGeoJSON(coalesce(b.footprint, b.entrance), 7) AS geometry
              FROM building b
             WHERE b.id = ANY (CAST(:ids AS bigint[]))
            """;

    /** The buildings of an export looked up at a time. */
    private static final int BUILDINGS_READ_AT_ONCE = 1000;

    private final JdbcClient jdbc;
    private final Cursors cursors;
    private final CoverageQueries queries;
    private final BuildingCounts buildingCounts;

    DrillDown(JdbcClient jdbc, Cursors cursors, CoverageQueries queries, BuildingCounts buildingCounts) {
        this.jdbc = jdbc;
        this.cursors = cursors;
        this.queries = queries;
        this.buildingCounts = buildingCounts;
    }

    /**
     * @param assigned for lists of persons, a further limit (a volunteer's own key persons), else TRUE
     */
    public Page list(Metric metric, CoverageArea area, AreaScope scope, SqlPredicate assigned, LocalDate asOf,
                     Status status, int page, int size, boolean withNames) {
        return list(metric, area, scope, assigned, asOf, status, page, size, withNames, Metric.Computation.MAINTAINED);
    }

    /** As above, from the maintained state or by the full computation. */
    public Page list(Metric metric, CoverageArea area, AreaScope scope, SqlPredicate assigned, LocalDate asOf,
                     Status status, int page, int size, boolean withNames, Metric.Computation computation) {
        // the length of the list as the summary counted it: the page then needs only its first items, not all
        Optional<Figures> counted = computation == Metric.Computation.MAINTAINED && assigned == SqlPredicate.TRUE
                ? queries.keptFigures(metric, area, scope, asOf) : Optional.empty();
        String gapsInOrder = counted.isPresent() && status == Status.GAP ? metric.gapsInListOrderSql() : null;
        Query query = gapsInOrder != null
                ? gapPageQuery(gapsInOrder, metric, area, scope, asOf, size, (long) page * size, withNames)
                : listQuery(metric, area, scope, assigned, asOf, status, size, (long) page * size, withNames, computation,
                        counted.isEmpty());
        long[] matched = {counted.map(f -> switch (status) {
            case GAP -> f.gaps();
            case OK -> f.ok();
            case ALL -> f.total();
        }).orElse(0L)};
        List<Item> items = jdbc.sql(query.sql()).params(query.params()).query((rs, n) -> {
            if (counted.isEmpty()) {
                matched[0] = rs.getLong("matched");
            }
            return item(rs);
        }).list();
        return new Page(metric.id(), metric.itemKind(), matched[0], page, size, items);
    }

    /**
     * The whole list, in the order of its pages, one item at a time from a cursor (for exports, which may run to
     * hundreds of thousands of rows), each with the list's length; answers that length.
     */
    public long eachItem(Metric metric, CoverageArea area, AreaScope scope, SqlPredicate assigned, LocalDate asOf,
                         Status status, boolean withNames, ObjLongConsumer<Item> each) {
        Query query = listQuery(metric, area, scope, assigned, asOf, status, null, 0, withNames,
                Metric.Computation.MAINTAINED, true);
        return cursors.<Counted<Item>>forEach(query.sql(), query.params(), (rs, n) -> new Counted<>(item(rs), rs.getLong("matched")),
                row -> each.accept(row.row(), row.total()));
    }

    private record Query(String sql, Map<String, Object> params) {
    }

    /** A row and the length of the list it is part of. */
    private record Counted<T>(T row, long total) {
    }

    /**
     * @param size null for the whole list
     * @param countMatched whether each row says how long the list is (else its {@code matched} is null)
     */
    private Query listQuery(Metric metric, CoverageArea area, AreaScope scope, SqlPredicate assigned, LocalDate asOf,
                            Status status, Integer size, long offset, boolean withNames, Metric.Computation computation,
                            boolean countMatched) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = parameters(area, scoped, asOf, status, size, offset);
        params.putAll(assigned.params());
        String sql = LIST.formatted(metric.itemsSql(computation), countMatched ? "count(*) OVER ()" : "CAST(NULL AS bigint)",
                inPlace(scoped) + " AND " + assigned.sql()) + pageDetails(metric, withNames);
        return new Query(sql, params);
    }

    /** A page of gaps read in list order from the maintained state's indexes: no sort of every gap of the area. */
    private Query gapPageQuery(String gapsInOrder, Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf,
                               int size, long offset, boolean withNames) {
        SqlPredicate scoped = scope.rows("i.area_code", "i.grid_id");
        Map<String, Object> params = parameters(area, scoped, asOf, Status.GAP, size, offset);
        params.put("page_end", offset + size);
        return new Query(GAP_PAGE.formatted(gapsInOrder.formatted(inPlace(scoped))) + pageDetails(metric, withNames), params);
    }

    /** The items (alias {@code i}) of the list's place ({@link CoverageArea#codeRange}, {@code :only_grid}) in the caller's scope. */
    private static String inPlace(SqlPredicate scoped) {
        return "i.area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)"
                + " AND (CAST(:only_grid AS bigint) IS NULL OR i.grid_id = :only_grid) AND " + scoped.sql();
    }

    private static String pageDetails(Metric metric, boolean withNames) {
        String[] columnsAndJoin = details(metric.itemKind(), withNames);
        return PAGE_DETAILS.formatted(columnsAndJoin[0], columnsAndJoin[1]);
    }

    private static Item item(ResultSet rs) throws SQLException {
        java.sql.Array categories = rs.getArray("categories");
        return new Item(rs.getString("id"), rs.getString("item_name"), rs.getString("place"),
                rs.getString("grid_name"), rs.getBoolean("ok"), rs.getObject("value", Double.class),
                rs.getBoolean("estimate"),
                categories == null ? null : Arrays.asList((String[]) categories.getArray()),
                rs.getString("risk_level"), rs.getString("geometry"));
    }

    /**
     * The buildings behind a figure of a metric of buildings, units or key persons, paged; status GAP keeps the
     * buildings with at least one gap, OK those with none.
     *
     * @throws IllegalArgumentException for the metrics of grids and areas, which have no buildings
     */
    public BuildingPage buildings(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf, Status status,
                                  int page, int size) {
        List<BuildingCounts.Counted> listed = listedBuildings(metric, area, scope, asOf, status);
        int from = (int) Math.min(listed.size(), (long) page * size);
        List<BuildingRow> rows = withDetails(listed.subList(from, Math.min(listed.size(), from + size)));
        return new BuildingPage(metric.id(), metric.itemKind(), listed.size(), page, size, rows);
    }

    /**
     * All the buildings behind a figure, in the order of their pages, a thousand looked up at a time, each with the
     * list's length; answers that length.
     *
     * @throws IllegalArgumentException as {@link #buildings}
     */
    public long eachBuilding(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf, Status status,
                             ObjLongConsumer<BuildingRow> each) {
        List<BuildingCounts.Counted> listed = listedBuildings(metric, area, scope, asOf, status);
        for (int from = 0; from < listed.size(); from += BUILDINGS_READ_AT_ONCE) {
            withDetails(listed.subList(from, Math.min(listed.size(), from + BUILDINGS_READ_AT_ONCE)))
                    .forEach(row -> each.accept(row, listed.size()));
        }
        return listed.size();
    }

    /** Drops the kept lists of buildings: the next is made again from the summary's counts (the benchmark's first click). */
    public void forgetBuildingCounts() {
        buildingCounts.forget();
    }

    private List<BuildingCounts.Counted> listedBuildings(Metric metric, CoverageArea area, AreaScope scope, LocalDate asOf,
                                                         Status status) {
        requireBuildings(metric);
        return buildingCounts.worstFirst(metric, area, scope, asOf).listed(status);
    }

    /** The rows of these buildings in their order, each with its counts; those the caller may not see left off. */
    private List<BuildingRow> withDetails(List<BuildingCounts.Counted> counted) {
        if (counted.isEmpty()) {
            return List.of();
        }
        Map<Long, BuildingRow> found = new HashMap<>();
        Map<Long, BuildingCounts.Counted> byId = new HashMap<>();
        counted.forEach(c -> byId.put(c.buildingId(), c));
        jdbc.sql(BUILDINGS).param("ids", byId.keySet().toArray(Long[]::new)).query(rs -> {
            BuildingCounts.Counted c = byId.get(rs.getLong("id"));
            found.put(c.buildingId(), new BuildingRow(c.buildingId(), rs.getString("name"), rs.getString("address"),
                    rs.getString("grid_name"), c.items(), c.ok(), c.gaps(), rs.getString("geometry")));
        });
        return counted.stream().map(c -> found.get(c.buildingId())).filter(Objects::nonNull).toList();
    }

    /**
     * Fails for the metrics of grids and areas, which have no buildings behind them; the items of the others say
     * their building (the maintained key persons keep theirs, so a list of buildings reads no resident).
     *
     * @throws IllegalArgumentException for those metrics
     */
    static void requireBuildings(Metric metric) {
        if (!Set.of("building", "unit", "person", "need").contains(metric.itemKind())) {
            throw new IllegalArgumentException(metric.id() + " counts " + metric.itemKind()
                    + "s, which have no buildings behind them");
        }
    }

    /** The parameters of a list of an area's items on a day: {@code size} from {@code offset}, or all (null). */
    private Map<String, Object> parameters(CoverageArea area, SqlPredicate scoped, LocalDate asOf, Status status,
                                           Integer size, long offset) {
        Map<String, Object> params = queries.parameters(asOf);
        params.putAll(scoped.params());
        params.putAll(area.codeRange());
        params.put("only_grid", area.gridId());
        params.put("status", status.name());
        // LIMIT NULL is no limit: the export of a whole list runs the same statement as its pages
        params.put("size", size);
        params.put("offset", offset);
        return params;
    }

    /** The columns {@code item_name, place, categories, risk_level, geometry} and the join that gives them. */
    private static String[] details(String itemKind, boolean withNames) {
        return switch (itemKind) {
            case "building" -> new String[] {
                    "b.name AS item_name, b.address AS place, NULL::text[] AS categories, NULL AS risk_level, "
                            + "ST_AsGeoJSON(coalesce(b.footprint, b.entrance), 7) AS geometry",
                    "JOIN building b ON b.id = i.item_id"};
            case "unit" -> new String[] {
                    "u.number AS item_name, coalesce(b.name, b.address) AS place, NULL::text[] AS categories, "
                            + "NULL AS risk_level, ST_AsGeoJSON(coalesce(u.entrance, b.entrance), 7) AS geometry",
                    "JOIN unit u ON u.id = i.item_id JOIN building b ON b.id = u.building_id"};
            case "person" -> new String[] {
                    // without names, the place stops at the building: a room number would name the person
                    (withNames ? "p.name AS item_name, concat_ws(' ', b.name, pu.number, p.room) AS place, "
                            : "NULL::text AS item_name, b.name AS place, ")
                            + "k.categories, k.risk_level, "
                            + "ST_AsGeoJSON(coalesce(p.location, pu.entrance, b.entrance), 7) AS geometry",
                    "JOIN person p ON p.id = i.item_id JOIN key_person k ON k.person_id = p.id "
                            + "LEFT JOIN building b ON b.id = p.building_id LEFT JOIN unit pu ON pu.id = p.unit_id"};
            case "grid" -> new String[] {
                    "gg.name AS item_name, gg.code AS place, NULL::text[] AS categories, NULL AS risk_level, "
                            + "ST_AsGeoJSON(gg.geom, 7) AS geometry",
                    "JOIN grid gg ON gg.id = i.item_id"};
            case "compound" -> new String[] {
                    "c.name AS item_name, NULL AS place, NULL::text[] AS categories, NULL AS risk_level, "
                            + "ST_AsGeoJSON(c.geom, 7) AS geometry",
                    "JOIN compound c ON c.id = i.item_id"};
            default -> new String[] {
                    "a.name AS item_name, a.code AS place, NULL::text[] AS categories, NULL AS risk_level, "
                            + "ST_AsGeoJSON(a.geom, 7) AS geometry",
                    "JOIN admin_area a ON a.code = i.item_id"};
        };
    }
}
