package org.caregrid.server.callout;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Masking;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.vocabulary.Vocabulary;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Call-out of the reserve force (社区呼叫、单位报到): the candidates are the reserve members (volunteers
 * registered in the reserve, and anyone with a current 'reserve' assignment: the registered staff of units)
 * whom the caller's scope shows and whose tier's pool the place is in (a street member lives in the
 * call-out's street, a county member in its county, a city member in its city), ranked by tier (street, then county/district, then city, then untiered),
 * then by how many of the wanted skills they have, then by walking distance to the place. Walking is on the
 * road network when it is ready; otherwise the straight line stands, marked {@code estimate}. An accepted
 * answer is duty: a service record of the call-out's hours (kind 'callout') on the day it starts. Blocking:
 * call on a JDBC thread.
 */
@Component
class Callouts {

    /** How many candidates a call-out lists at most. */
    static final int CANDIDATES = 50;

    /** How many call-outs a list shows at most. */
    static final int LISTED = 200;

    record Input(Long gridId, String areaCode, int needed, List<String> skills, OffsetDateTime startsAt,
                 BigDecimal hours) {
    }

    /**
     * @param tier     street, county or city; null when the member has none
     * @param response accepted, declined, or null before an answer
     */
    record Candidate(int rank, long personId, String name, String phone, String tier, int skillsMatched,
                     double distanceM, boolean estimate, String response) {
    }

    record Callout(long id, Long gridId, String areaCode, double lat, double lon, int needed, int filled,
                   List<String> skills, OffsetDateTime startsAt, BigDecimal hours, String status, int version,
                   String createdBy, OffsetDateTime createdAt, OffsetDateTime closedAt, List<Candidate> candidates) {
    }

    /** A call-out in a list: no candidates, so no names (not audited). {@code placeName}: the grid's or the area's. */
    record Summary(long id, Long gridId, String areaCode, String placeName, int needed, int filled, List<String> skills,
                   OffsetDateTime startsAt, BigDecimal hours, String status, int version, String createdBy,
                   OffsetDateTime createdAt, OffsetDateTime closedAt) {
    }

    private record Row(long id, Long gridId, String areaCode, double lat, double lon, int needed, int filled,
                       List<String> skills, OffsetDateTime startsAt, BigDecimal hours, String status, int version,
                       String createdBy, OffsetDateTime createdAt, OffsetDateTime closedAt) {
    }

    private record Member(long personId, String name, String phone, String tier, int tierRank, int skillsMatched,
                          double straightM, double homeLat, double homeLon, String response) {
    }

    private record Walked(Member member, double metres, boolean reached) {
    }

    /**
     * Where the called-out report (报到): the community office (居委会) of the grid's community, the one in the
     * grid first; without one, a point inside the grid.
     */
    private static final String GRID_PLACE = """
            SELECT g.community_code AS area,
                   coalesce((SELECT f.location FROM facility f
                              WHERE f.kind = 'community_office' AND f.area_code = g.community_code
                              ORDER BY f.grid_id IS DISTINCT FROM g.id, f.id LIMIT 1),
                            ST_PointOnSurface(g.geom)) AS place
              FROM grid g WHERE g.id = :grid
            """;

    /** An area's first community office inside it, else a point inside the area. */
    private static final String AREA_PLACE = """
            SELECT a.code AS area,
                   coalesce((SELECT f.location FROM facility f
                              WHERE f.kind = 'community_office' AND ST_Within(f.location, a.geom) ORDER BY f.id LIMIT 1),
                            ST_PointOnSurface(a.geom)) AS place
              FROM admin_area a WHERE a.code = :area AND a.geom IS NOT NULL
            """;

    private static final String CALLOUT = """
            SELECT c.id, c.grid_id, c.area_code, ST_Y(c.place) AS lat, ST_X(c.place) AS lon, c.needed, c.skills,
                   c.starts_at, c.hours, c.status, c.version, c.created_by, c.created_at, c.closed_at,
                   (SELECT count(*) FROM callout_response r WHERE r.callout_id = c.id AND r.accept)::int AS filled
              FROM callout c WHERE c.id = :id
            """;

    /** The call-outs the caller sees (row-level security), soonest start first; without a status, those not closed. */
    private static final String LIST = """
            SELECT c.id, c.grid_id, c.area_code, coalesce(g.name, a.name) AS place_name, c.needed, c.skills,
                   c.starts_at, c.hours, c.status, c.version, c.created_by, c.created_at, c.closed_at,
                   (SELECT count(*) FROM callout_response r WHERE r.callout_id = c.id AND r.accept)::int AS filled
              FROM callout c
              LEFT JOIN grid g ON g.id = c.grid_id
              LEFT JOIN admin_area a ON a.code = c.area_code
             WHERE CASE WHEN CAST(:status AS text) IS NULL THEN c.status <> 'closed' ELSE c.status = :status END
             ORDER BY c.starts_at, c.id
             LIMIT :limit
            """;

    /**
     * The reserve members the caller sees, one row each with their best tier; a member's home is their
     * volunteer home, else where they live.
     */
    private static final String MEMBERS = """
            WITH c AS (SELECT place, skills, area_code FROM callout WHERE id = :id),
            members AS (
                SELECT v.person_id, v.reserve_tier AS tier FROM volunteer v WHERE v.is_reserve
                UNION ALL
                SELECT r.person_id, r.tier FROM role_assignment r
                 WHERE r.role = 'reserve' AND r.valid_from <= :today AND (r.valid_to IS NULL OR r.valid_to >= :today)),
            ranked AS (
                SELECT m.person_id, m.tier,
                       CASE m.tier WHEN 'street' THEN 1 WHEN 'county' THEN 2 WHEN 'city' THEN 3 ELSE 4 END AS tier_rank,
                       -- the digits of the code a tier's pool shares: street 9, county 6, city 4 (untiered: the street)
                       CASE m.tier WHEN 'county' THEN 6 WHEN 'city' THEN 4 ELSE 9 END AS digits
                  FROM members m),
            best AS (
                -- a member answers for their own tier's pool: a street member of another street is no candidate
                SELECT DISTINCT ON (r.person_id) r.person_id, r.tier, r.tier_rank
                  FROM ranked r JOIN person mp ON mp.id = r.person_id CROSS JOIN c
                 WHERE starts_with(mp.area_code, left(c.area_code, r.digits))
                 ORDER BY r.person_id, r.tier_rank)
            SELECT b.person_id, p.name, p.phone, b.tier, b.tier_rank,
                   cardinality(ARRAY(SELECT unnest(coalesce(v.skills, '{}')) INTERSECT SELECT unnest(c.skills))) AS matched,
                   ST_Distance(c.place::geography, h.home::geography) AS straight_m,
                   ST_Y(h.home) AS home_lat, ST_X(h.home) AS home_lon,
                   (SELECT CASE WHEN x.accept THEN 'accepted' ELSE 'declined' END FROM callout_response x
                     WHERE x.callout_id = :id AND x.person_id = b.person_id) AS response
              FROM best b JOIN person p ON p.id = b.person_id
              LEFT JOIN volunteer v ON v.person_id = b.person_id
              LEFT JOIN unit u ON u.id = p.unit_id
              LEFT JOIN building bu ON bu.id = p.building_id
              CROSS JOIN c
              CROSS JOIN LATERAL (SELECT coalesce(v.home, p.location, u.entrance, bu.entrance) AS home) h
             WHERE p.closed_on IS NULL AND h.home IS NOT NULL
             ORDER BY b.tier_rank, matched DESC, straight_m, b.person_id
             LIMIT :limit
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RoutingService routing;
    private final AuditLog auditLog;
    private final Today today;

    Callouts(JdbcClient jdbc, TransactionTemplate transactions, RoutingService routing, AuditLog auditLog, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.routing = routing;
        this.auditLog = auditLog;
        this.today = today;
    }

    /** A new call-out at a grid (its point on surface) or an area; 404 when the place is outside the scope. */
    Callout create(Input in, CaregridUser user) {
        long id = transactions.execute(tx -> {
            ChangeReason.set(jdbc, null);
            String placeSql = in.gridId() != null ? GRID_PLACE : AREA_PLACE;
            Optional<String> area = jdbc.sql(placeSql)
                    .param("grid", in.gridId()).param("area", in.areaCode())
                    .query((rs, n) -> rs.getString("area")).optional();
            boolean visible = area.isPresent() && jdbc.sql("SELECT caregrid_place_visible(:area, CAST(:grid AS bigint))")
                    .param("area", area.get()).param("grid", in.gridId()).query(Boolean.class).single();
            if (!visible) {
                throw in.gridId() != null ? ApiException.notFound("error.callout.gridNotFound", in.gridId())
                        : ApiException.notFound("error.callout.areaNotFound", in.areaCode());
            }
            return jdbc.sql("INSERT INTO callout (grid_id, area_code, place, needed, skills, starts_at, hours, created_by) "
                            + "SELECT CAST(:grid AS bigint), p.area, p.place, :needed, CAST(:skills AS text[]), :starts, :hours, :by "
                            + "FROM (" + placeSql + ") p RETURNING id")
                    .param("grid", in.gridId()).param("area", in.areaCode()).param("needed", in.needed())
                    .param("skills", in.skills().toArray(String[]::new)).param("starts", in.startsAt())
                    .param("hours", in.hours()).param("by", user.getUsername())
                    .query(Long.class).single();
        });
        return show(id, user);
    }

    /** Blocking. The call-outs of the caller's scope, at most {@link #LISTED}; 400 naming {@code status}. */
    List<Summary> list(String status) {
        String wanted = status == null || status.isBlank() ? null : status;
        List<ApiException.FieldFault> faults = new ArrayList<>();
        Vocabulary.CALLOUT_STATUSES.check("status", wanted, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return jdbc.sql(LIST).param("status", wanted).param("limit", LISTED)
                .query((rs, n) -> new Summary(rs.getLong("id"), (Long) rs.getObject("grid_id"), rs.getString("area_code"),
                        rs.getString("place_name"), rs.getInt("needed"), rs.getInt("filled"),
                        List.of((String[]) rs.getArray("skills").getArray()),
                        rs.getObject("starts_at", OffsetDateTime.class), rs.getBigDecimal("hours"), rs.getString("status"),
                        rs.getInt("version"), rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("closed_at", OffsetDateTime.class)))
                .list();
    }

    /** The call-out with filled / needed and its ranked candidates; 404 outside the caller's scope. */
    Callout show(long id, CaregridUser user) {
        Row row = row(id).orElseThrow(() -> ApiException.notFound("error.callout.notFound", id));
        List<Candidate> candidates = rank(row, members(id));
        auditLog.personsListed(user, "GET /api/callouts/" + id, candidates.stream().map(Candidate::personId).toList(),
                Purpose.DISPATCH);
        boolean fullPhone = AccessPolicy.allows(user, Action.READ_PHONE);
        List<Candidate> shown = candidates.stream().map(c -> fullPhone ? c : new Candidate(c.rank(), c.personId(),
                c.name(), Masking.phone(c.phone()), c.tier(), c.skillsMatched(), c.distanceM(), c.estimate(),
                c.response())).toList();
        return new Callout(row.id(), row.gridId(), row.areaCode(), row.lat(), row.lon(), row.needed(), row.filled(),
                row.skills(), row.startsAt(), row.hours(), row.status(), row.version(), row.createdBy(), row.createdAt(),
                row.closedAt(), shown);
    }

    /**
     * Records one person's answer. The answer must come before the call-out is filled or closed (409 in
     * words), from a candidate (a reserve member the caller sees), once. An acceptance writes the duty's
     * service record; the call-out is filled when the accepted answers reach the number needed.
     */
    Callout respond(long id, long personId, boolean accept, Integer expectedVersion, CaregridUser user) {
        requireVersion(expectedVersion);
        transactions.executeWithoutResult(tx -> {
            ChangeReason.set(jdbc, null);
            Row row = lockedOpen(id, expectedVersion, true);
            Optional<Member> member = members(id).stream().filter(m -> m.personId() == personId).findFirst();
            if (member.isEmpty()) {
                throw ApiException.invalid("personId", "error.callout.notCandidate", personId);
            }
            if (member.get().response() != null) {
                throw ApiException.conflict("error.callout.answered", personId, id);
            }
            jdbc.sql("INSERT INTO callout_response (callout_id, person_id, accept, recorded_by) VALUES (:id, :p, :a, :by)")
                    .param("id", id).param("p", personId).param("a", accept).param("by", user.getUsername()).update();
            if (accept) {
                // the duty as service time: the call-out's hours, on the day it starts in the configured zone
                jdbc.sql("""
                                INSERT INTO service_record (volunteer_person_id, service_date, kind, minutes, distance_km,
                                                            households, callout_id, started_at, finished_at)
                                SELECT :p, (c.starts_at AT TIME ZONE :zone)::date, 'callout', round(c.hours * 60)::int,
                                       0, 0, c.id, c.starts_at, c.starts_at + c.hours * interval '1 hour'
                                  FROM callout c WHERE c.id = :id
                                """)
                        .param("p", personId).param("zone", today.zone().getId()).param("id", id).update();
            }
            int filled = row.filled() + (accept ? 1 : 0);
            // always an update, so that every answer moves the version (If-Match)
            jdbc.sql("UPDATE callout SET status = :status WHERE id = :id")
                    .param("status", filled >= row.needed() ? "filled" : "open").param("id", id).update();
        });
        return show(id, user);
    }

    /** Ends the call-out: no more answers. The duty already accepted stays in the service records. */
    Callout close(long id, Integer expectedVersion, String reason, CaregridUser user) {
        requireVersion(expectedVersion);
        transactions.executeWithoutResult(tx -> {
            ChangeReason.set(jdbc, reason);
            lockedOpen(id, expectedVersion, false);
            jdbc.sql("UPDATE callout SET status = 'closed', closed_at = now() WHERE id = :id").param("id", id).update();
        });
        return show(id, user);
    }

    private static void requireVersion(Integer expectedVersion) {
        if (expectedVersion == null) {
            throw ApiException.invalid("If-Match", "error.callout.ifMatch");
        }
    }

    /**
     * Locks the call-out: 404 outside the scope, 409 when closed (or filled, for an answer: said before a
     * stale version, because it is what the caller needs to know), 412 for another version.
     */
    private Row lockedOpen(long id, int expectedVersion, boolean unfilled) {
        jdbc.sql("SELECT id FROM callout WHERE id = :id FOR UPDATE").param("id", id).query(Long.class).optional()
                .orElseThrow(() -> ApiException.notFound("error.callout.notFound", id));
        Row row = row(id).orElseThrow();
        if (row.status().equals("closed")) {
            throw ApiException.conflict("error.callout.closed", id);
        }
        if (unfilled && row.status().equals("filled")) {
            throw ApiException.conflict("error.callout.filled", id, row.filled(), row.needed());
        }
        if (row.version() != expectedVersion) {
            throw Versions.stale(true, "error.callout.notFound", id);
        }
        return row;
    }

    private Optional<Row> row(long id) {
        return jdbc.sql(CALLOUT).param("id", id)
                .query((rs, n) -> new Row(rs.getLong("id"), (Long) rs.getObject("grid_id"), rs.getString("area_code"),
                        rs.getDouble("lat"), rs.getDouble("lon"), rs.getInt("needed"), rs.getInt("filled"),
                        List.of((String[]) rs.getArray("skills").getArray()),
                        rs.getObject("starts_at", OffsetDateTime.class), rs.getBigDecimal("hours"), rs.getString("status"),
                        rs.getInt("version"), rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("closed_at", OffsetDateTime.class)))
                .optional();
    }

    private List<Member> members(long id) {
        return jdbc.sql(MEMBERS).param("id", id).param("today", today.date()).param("limit", CANDIDATES)
                .query((rs, n) -> new Member(rs.getLong("person_id"), rs.getString("name"), rs.getString("phone"),
                        rs.getString("tier"), rs.getInt("tier_rank"), rs.getInt("matched"), rs.getDouble("straight_m"),
                        rs.getDouble("home_lat"), rs.getDouble("home_lon"), rs.getString("response")))
                .list();
    }

    /**
     * Tier, then skills, then walking distance. A member the network cannot reach keeps the straight line,
     * marked as an estimate, and goes after those it reaches in the same tier and skills.
     */
    private List<Candidate> rank(Row row, List<Member> members) {
        Optional<RoadNetwork> network = routing.network();
        Place place = new Place("callout", row.lat(), row.lon());
        List<Walked> walked = members.stream().map(m -> network.flatMap(net -> net.travel(TravelMode.FOOT, place,
                                new Place("p" + m.personId(), m.homeLat(), m.homeLon())))
                        .map(t -> new Walked(m, t.distanceMeters(), true))
                        .orElse(new Walked(m, m.straightM(), false)))
                .sorted(Comparator.comparingInt((Walked w) -> w.member().tierRank())
                        .thenComparing(w -> -w.member().skillsMatched())
                        .thenComparing(w -> !w.reached())
                        .thenComparingDouble(Walked::metres)
                        .thenComparingLong(w -> w.member().personId()))
                .toList();
        List<Candidate> ranked = new ArrayList<>();
        for (Walked w : walked) {
            Member m = w.member();
            ranked.add(new Candidate(ranked.size() + 1, m.personId(), m.name(), m.phone(), m.tier(), m.skillsMatched(),
                    Math.round(w.metres() * 10) / 10.0, !w.reached(), m.response()));
        }
        return ranked;
    }
}
