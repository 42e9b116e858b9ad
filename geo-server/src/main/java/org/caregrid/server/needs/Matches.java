package org.caregrid.server.needs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.config.Today;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which supplies could take a need: those of its kind, in force today and serving the person's community,
 * ranked by whether they have places left this week, then by walking distance from where the help starts
 * to the person's home. The {@value #CANDIDATES} nearest by straight line are walked on the road network
 * when it is ready (as coverage suggestions do); otherwise, or where the network cannot reach, the straight
 * line times the detour factor stands, marked {@code estimate}.
 */
@Component
class Matches {

    static final int CANDIDATES = 50;

    /**
     * @param remaining  places left this week (capacity less needs taken since Monday), never below 0
     * @param distanceM  walking metres, or the straight-line estimate; null when the person has no home on record
     */
    record Match(int rank, long supplyId, String providerKind, String providerName, String areaCode,
                 int capacityPerWeek, long usedThisWeek, long remaining, Double distanceM, boolean estimate,
                 String times) {
    }

    /** @param distanceSource network, straight-line estimate or mixed */
    record Ranking(long needId, String kind, String distanceSource, List<Match> matches) {
    }

    private static final String CANDIDATES_SQL = Supplies.SELECT + """
            JOIN admin_area sa ON sa.code = s.area_code
            CROSS JOIN (SELECT coalesce(p.location, u.entrance, b.entrance) AS point, p.area_code
                          FROM person p LEFT JOIN unit u ON u.id = p.unit_id LEFT JOIN building b ON b.id = p.building_id
                         WHERE p.id = :person) h
             WHERE s.kind = :kind AND s.starts_on <= :today AND (s.ended_on IS NULL OR s.ended_on >= :today)
               AND starts_with(h.area_code, area_code_prefix(sa.code, sa.level))
             ORDER BY ST_Distance(h.point::geography, s.location::geography) NULLS LAST, s.id
             LIMIT :limit
            """;

    private static final String WITH_DISTANCE = CANDIDATES_SQL.replace("SELECT s.*,",
            "SELECT s.*, ST_Distance(h.point::geography, s.location::geography) AS straight_m, "
                    + "ST_Y(h.point) AS home_lat, ST_X(h.point) AS home_lon,");

    private final JdbcClient jdbc;
    private final Needs needs;
    private final Supplies supplies;
    private final RoutingService routing;
    private final AuditLog auditLog;
    private final Today today;
    private final double detourFactor;

    Matches(JdbcClient jdbc, Needs needs, Supplies supplies, RoutingService routing, AuditLog auditLog, Today today,
            CoverageProperties coverage) {
        this.jdbc = jdbc;
        this.needs = needs;
        this.supplies = supplies;
        this.routing = routing;
        this.auditLog = auditLog;
        this.today = today;
        this.detourFactor = coverage.detourFactor();
    }

    private record Candidate(Supplies.Supply supply, Double straightM, Double homeLat, Double homeLon) {
    }

    private record Walked(Candidate candidate, Double metres, boolean estimate) {
        long remaining() {
            return Math.max(0, candidate.supply().capacityPerWeek() - candidate.supply().usedThisWeek());
        }
    }

    /** Blocking. 404 for a need outside the caller's scope. */
    Ranking rank(long needId, CaregridUser user) {
        Needs.Need need = needs.find(needId, user);
        // the need's person (where they live) is what the ranking is computed from
        auditLog.personAction(user, "match_need", "GET /api/needs/" + needId + "/matches", need.personId(), Purpose.VISIT);
        List<Candidate> candidates = jdbc.sql(WITH_DISTANCE)
                .param("names", AccessPolicy.allows(user, Action.READ_NAMES))
                .param("week_start", supplies.weekStart()).param("tz", supplies.timeZone()).param("today", today.date())
                .param("person", need.personId()).param("kind", need.kind()).param("limit", CANDIDATES)
                .query((rs, n) -> new Candidate(Supplies.toSupply(rs), (Double) rs.getObject("straight_m"),
                        (Double) rs.getObject("home_lat"), (Double) rs.getObject("home_lon")))
                .list();
        Optional<RoadNetwork> network = routing.state() == RoutingService.State.READY ? routing.network() : Optional.empty();
        List<Walked> walked = candidates.stream().map(c -> walk(c, network.orElse(null))).toList();
        List<Walked> sorted = walked.stream()
                .sorted(Comparator.comparing((Walked w) -> w.remaining() == 0)
                        .thenComparing(w -> w.metres() == null)
                        .thenComparing(Walked::estimate)
                        .thenComparingDouble(w -> w.metres() == null ? 0 : w.metres())
                        .thenComparingLong(w -> w.candidate().supply().id()))
                .toList();
        List<Match> matches = new ArrayList<>();
        for (Walked w : sorted) {
            Supplies.Supply s = w.candidate().supply();
            matches.add(new Match(matches.size() + 1, s.id(), s.providerKind(), s.providerName(), s.areaCode(),
                    s.capacityPerWeek(), s.usedThisWeek(), w.remaining(),
                    w.metres() == null ? null : Math.round(w.metres() * 10) / 10.0, w.estimate(), s.times()));
        }
        long estimated = matches.stream().filter(Match::estimate).count();
        String source = estimated == 0 ? "network" : estimated == matches.size() ? "straight-line estimate" : "mixed";
        return new Ranking(needId, need.kind(), source, matches);
    }

    private Walked walk(Candidate c, RoadNetwork network) {
        if (c.straightM() == null) {
            return new Walked(c, null, true);
        }
        if (network != null) {
            Supplies.Supply s = c.supply();
            Optional<Double> metres = network.travel(TravelMode.FOOT, new Place("supply" + s.id(), s.lat(), s.lon()),
                    new Place("home", c.homeLat(), c.homeLon())).map(t -> t.distanceMeters());
            if (metres.isPresent()) {
                return new Walked(c, metres.get(), false);
            }
        }
        return new Walked(c, c.straightM() * detourFactor, true);
    }
}
