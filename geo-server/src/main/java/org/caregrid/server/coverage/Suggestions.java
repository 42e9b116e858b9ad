package org.caregrid.server.coverage;

import org.caregrid.server.web.ApiException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who could close a gap: for a building or unit without a head, its own residents and volunteers
 * first, then the nearest volunteers; for a key person nobody is responsible for, the nearest
 * volunteers and grid workers; for a grid short of volunteers, the nearest reserve members.
 *
 * <p>Candidates are found in SQL by straight-line distance; when the road network is ready they are
 * ranked again by walking distance ({@code estimate = false}), else the straight line times the
 * detour factor stands, marked as an estimate.
 */
@Component
class Suggestions {

    /**
     * @param rank          1 is the best
     * @param reason        lives_in_building, volunteer_in_building, lives_in_unit, nearest_volunteer,
     *                      nearest_grid_worker, nearest_reserve
     * @param currentLoad   how many key persons or places the candidate already answers for
     */
    record Candidate(int rank, long personId, String name, String reason, double distanceM, boolean estimate,
                     int currentLoad, @JsonIgnore int priority, @JsonIgnore double[] from, @JsonIgnore double[] home) {

        Candidate walked(int newRank, double metres) {
            return new Candidate(newRank, personId, name, reason, Math.round(metres * 10) / 10.0, false, currentLoad,
                    priority, from, home);
        }
    }

    /**
     * Ranks again by walking distance within each priority (the building's own people first), and
     * keeps {@code limit}. A candidate the network cannot reach goes last, keeping its estimate.
     */
    static List<Candidate> byWalkingDistance(List<Candidate> candidates, int limit, RoadNetwork network) {
        record Walked(Candidate candidate, double metres, boolean reached) {
        }
        List<Walked> walked = candidates.stream().map(c -> network.travel(TravelMode.FOOT,
                        new Place("gap", c.from()[1], c.from()[0]), new Place("p" + c.personId(), c.home()[1], c.home()[0]))
                .map(t -> new Walked(c, t.distanceMeters(), true))
                .orElse(new Walked(c, c.distanceM(), false))).toList();
        List<Walked> sorted = walked.stream()
                .sorted(java.util.Comparator.comparingInt((Walked w) -> w.candidate().priority())
                        .thenComparing(w -> !w.reached())
                        .thenComparingDouble(Walked::metres)
                        .thenComparingLong(w -> w.candidate().personId()))
                .limit(limit).toList();
        List<Candidate> ranked = new java.util.ArrayList<>();
        for (Walked w : sorted) {
            int rank = ranked.size() + 1;
            ranked.add(w.reached() ? w.candidate().walked(rank, w.metres())
                    : new Candidate(rank, w.candidate().personId(), w.candidate().name(), w.candidate().reason(),
                    w.candidate().distanceM(), true, w.candidate().currentLoad(), w.candidate().priority(),
                    w.candidate().from(), w.candidate().home()));
        }
        return ranked;
    }

    /** Where the gap is and which persons already live there. */
    private static final String CANDIDATES = """
            WITH target AS (%s),
            candidates AS (%s)
            SELECT c.person_id, p.name, c.reason, c.priority,
                   ST_Distance(t.point::geography, c.home::geography) * :detour_factor AS distance_m,
                   ST_X(t.point) AS from_lon, ST_Y(t.point) AS from_lat, ST_X(c.home) AS home_lon, ST_Y(c.home) AS home_lat,
                   (SELECT count(*) FROM role_assignment r WHERE r.person_id = c.person_id
                       AND r.valid_from <= :as_of AND (r.valid_to IS NULL OR r.valid_to >= :as_of)) AS load
              FROM candidates c CROSS JOIN target t JOIN person p ON p.id = c.person_id
             WHERE p.closed_on IS NULL AND %s
             ORDER BY c.priority, distance_m, c.person_id
             LIMIT :limit
            """;

    private static final String HOME = "coalesce(v.home, p.location, pu.entrance, pb.entrance)";

    private static final String PEOPLE = """
            FROM person p
            LEFT JOIN volunteer v ON v.person_id = p.id
            LEFT JOIN unit pu ON pu.id = p.unit_id
            LEFT JOIN building pb ON pb.id = p.building_id
            """;

    private final JdbcClient jdbc;
    private final CoverageQueries queries;

    Suggestions(JdbcClient jdbc, CoverageQueries queries) {
        this.jdbc = jdbc;
        this.queries = queries;
    }

    List<Candidate> forGap(Metric metric, String itemId, SqlPredicate personScope, java.time.LocalDate asOf,
                           int limit, boolean withNames) {
        String target;
        String candidates;
        switch (metric) {
            case BUILDING_HEADS -> {
                target = "SELECT b.entrance AS point, b.id AS building_id FROM building b WHERE b.id = CAST(:item AS bigint)";
                candidates = """
                        SELECT p.id AS person_id, %1$s AS home,
                               CASE WHEN v.person_id IS NOT NULL THEN 'volunteer_in_building' ELSE 'lives_in_building' END AS reason,
                               CASE WHEN v.person_id IS NOT NULL THEN 1 ELSE 2 END AS priority
                          %2$s, target t
                         WHERE p.building_id = t.building_id AND NOT EXISTS (SELECT 1 FROM key_person k WHERE k.person_id = p.id)
                        UNION ALL
                        SELECT p.id, v.home, 'nearest_volunteer', 3
                          %2$s, target t
                         WHERE v.person_id IS NOT NULL AND p.building_id IS DISTINCT FROM t.building_id
                        """.formatted(HOME, PEOPLE);
            }
            case UNIT_HEADS -> {
                target = "SELECT coalesce(u.entrance, b.entrance) AS point, u.id AS unit_id, u.building_id "
                        + "FROM unit u JOIN building b ON b.id = u.building_id WHERE u.id = CAST(:item AS bigint)";
                candidates = """
                        SELECT p.id AS person_id, %1$s AS home,
                               CASE WHEN p.unit_id = t.unit_id THEN 'lives_in_unit' ELSE 'lives_in_building' END AS reason,
                               CASE WHEN p.unit_id = t.unit_id THEN 1 ELSE 2 END AS priority
                          %2$s, target t
                         WHERE p.building_id = t.building_id AND NOT EXISTS (SELECT 1 FROM key_person k WHERE k.person_id = p.id)
                        UNION ALL
                        SELECT p.id, v.home, 'nearest_volunteer', 3
                          %2$s, target t
                         WHERE v.person_id IS NOT NULL AND p.building_id IS DISTINCT FROM t.building_id
                        """.formatted(HOME, PEOPLE);
            }
            case RESPONSIBILITY, RESPONSIBLE_DISTANCE -> {
                target = "SELECT coalesce(p.location, pu.entrance, pb.entrance) AS point, p.id AS key_person_id, p.grid_id "
                        + "FROM person p LEFT JOIN unit pu ON pu.id = p.unit_id LEFT JOIN building pb ON pb.id = p.building_id "
                        + "WHERE p.id = CAST(:item AS bigint)";
                candidates = """
                        SELECT p.id AS person_id, %1$s AS home, 'nearest_volunteer' AS reason, 1 AS priority
                          %2$s, target t
                         WHERE v.person_id IS NOT NULL AND p.id <> t.key_person_id
                        UNION ALL
                        SELECT DISTINCT p.id, %1$s, 'nearest_grid_worker', 1
                          %2$s JOIN role_assignment r ON r.person_id = p.id AND r.role IN ('grid_worker', 'community_worker'), target t
                         WHERE v.person_id IS NULL AND r.valid_from <= :as_of AND (r.valid_to IS NULL OR r.valid_to >= :as_of)
                        """.formatted(HOME, PEOPLE);
            }
            case VOLUNTEERS, DELIVERY_SQUAD, RESERVE -> {
                target = "SELECT ST_PointOnSurface(coalesce(g.geom, (SELECT ST_Collect(b.entrance) FROM building b WHERE b.grid_id = g.id))) "
                        + "AS point, g.id AS grid_id FROM grid g WHERE g.id = CAST(:item AS bigint) AND caregrid_grid_visible(g.id)";
                candidates = """
                        SELECT p.id AS person_id, v.home, 'nearest_reserve' AS reason, 1 AS priority
                          %2$s, target t
                         WHERE v.is_reserve AND p.grid_id IS DISTINCT FROM t.grid_id
                        """.formatted(HOME, PEOPLE);
            }
            default -> throw new IllegalArgumentException("No suggestions for " + metric.id()
                    + ": it counts facilities or organisations, not people to appoint");
        }
        // an item outside the caller's scope does not exist for them (row-level security hides it)
        if (!jdbc.sql("SELECT EXISTS (" + target + ")").param("item", itemId).query(Boolean.class).single()) {
            throw ApiException.notFound("error.coverage.itemNotFound", itemId);
        }
        var params = queries.parameters(asOf);
        params.putAll(personScope.params());
        params.put("item", itemId);
        params.put("limit", limit);
        int[] rank = {0};
        return jdbc.sql(CANDIDATES.formatted(target, candidates, personScope.sql())).params(params)
                .query((rs, n) -> new Candidate(++rank[0], rs.getLong("person_id"),
                        withNames ? rs.getString("name") : null, rs.getString("reason"),
                        Math.round(rs.getDouble("distance_m") * 10) / 10.0, true, rs.getInt("load"), rs.getInt("priority"),
                        new double[] {rs.getDouble("from_lon"), rs.getDouble("from_lat")},
                        new double[] {rs.getDouble("home_lon"), rs.getDouble("home_lat")}))
                .list();
    }
}
