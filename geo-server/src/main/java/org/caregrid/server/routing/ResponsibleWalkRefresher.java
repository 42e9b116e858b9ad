package org.caregrid.server.routing;

import org.caregrid.server.config.Today;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.TravelSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills {@code responsible_walk}: for every responsible person in office, the walk from the key
 * person's home to theirs, one CH route per pair (a few per key person, far fewer than a matrix).
 * Runs when the network becomes ready and on demand; one run replaces all older rows.
 */
@Component
public class ResponsibleWalkRefresher {

    private static final Logger log = LoggerFactory.getLogger(ResponsibleWalkRefresher.class);

    /** Homes as everywhere else: own point, else unit entrance, else building entrance; a volunteer's home first. */
    private static final String PAIRS = """
            SELECT DISTINCT r.scope_person_id AS key_person_id, r.person_id AS responsible_person_id,
                   ST_Y(kh.home) AS key_lat, ST_X(kh.home) AS key_lon, ST_Y(rh.home) AS r_lat, ST_X(rh.home) AS r_lon
              FROM role_assignment r
              JOIN person kp ON kp.id = r.scope_person_id
              LEFT JOIN unit ku ON ku.id = kp.unit_id
              LEFT JOIN building kb ON kb.id = kp.building_id
              JOIN person rp ON rp.id = r.person_id
              LEFT JOIN volunteer v ON v.person_id = rp.id
              LEFT JOIN unit ru ON ru.id = rp.unit_id
              LEFT JOIN building rb ON rb.id = rp.building_id
             CROSS JOIN LATERAL (SELECT coalesce(kp.location, ku.entrance, kb.entrance) AS home) kh
             CROSS JOIN LATERAL (SELECT coalesce(v.home, rp.location, ru.entrance, rb.entrance) AS home) rh
             WHERE r.role = 'responsible'
               AND r.valid_from <= :as_of AND (r.valid_to IS NULL OR r.valid_to >= :as_of)
               AND kh.home IS NOT NULL AND rh.home IS NOT NULL
            """;

    private static final String INSERT = """
            INSERT INTO responsible_walk (key_person_id, responsible_person_id, status, distance_m, duration_s,
                                          computed_at, graph_key)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """;

    /** What one refresh stored. */
    public record Outcome(int pairs, int reached, int unreachable, Instant computedAt, long routingMillis) {
    }

    private final RoutingService routing;
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transactions;
    private final Today today;
    private volatile Outcome last;

    ResponsibleWalkRefresher(RoutingService routing, JdbcClient jdbc, JdbcTemplate jdbcTemplate,
                             TransactionTemplate transactions, Today today) {
        this.today = today;
        this.routing = routing;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transactions = transactions;
        routing.onReady(network -> {
            Outcome outcome = refresh(network);
            log.info("Walks to responsible persons stored for {} pairs ({} reached, {} unreachable)",
                    outcome.pairs(), outcome.reached(), outcome.unreachable());
        });
    }

    public Optional<Outcome> last() {
        return Optional.ofNullable(last);
    }

    /** Recomputes every row on the server's network; 503 when it is not ready. Blocking. */
    public Outcome refresh() {
        return refresh(routing.require());
    }

    synchronized Outcome refresh(RoadNetwork network) {
        record Pair(long keyPerson, long responsible, Place from, Place to) {
        }
        List<Pair> pairs = jdbc.sql(PAIRS).param("as_of", today.date()).query((rs, n) -> new Pair(rs.getLong("key_person_id"),
                rs.getLong("responsible_person_id"),
                new Place("k" + rs.getLong("key_person_id"), rs.getDouble("key_lat"), rs.getDouble("key_lon")),
                new Place("r" + rs.getLong("responsible_person_id"), rs.getDouble("r_lat"), rs.getDouble("r_lon"))))
                .list();
        Timestamp now = Timestamp.from(Instant.now());
        String graphKey = network.graphFolder().getFileName().toString();
        List<Object[]> rows = new ArrayList<>();
        int reached = 0;
        long started = System.nanoTime();
        for (Pair pair : pairs) {
            Optional<TravelSummary> walk = network.travel(TravelMode.FOOT, pair.from(), pair.to());
            if (walk.isPresent()) {
                reached++;
                rows.add(new Object[] {pair.keyPerson(), pair.responsible(), "reached", walk.get().distanceMeters(),
                        walk.get().timeMillis() / 1000.0, now, graphKey});
            } else {
                // a home off the network or on an island: the responsible person cannot walk there
                rows.add(new Object[] {pair.keyPerson(), pair.responsible(), "unreachable", null, null, now, graphKey});
            }
        }
        long routingMillis = (System.nanoTime() - started) / 1_000_000;
        transactions.executeWithoutResult(tx -> {
            jdbcTemplate.update("DELETE FROM responsible_walk");
            jdbcTemplate.batchUpdate(INSERT, rows);
        });
        Outcome outcome = new Outcome(rows.size(), reached, rows.size() - reached, now.toInstant(), routingMillis);
        last = outcome;
        return outcome;
    }
}
