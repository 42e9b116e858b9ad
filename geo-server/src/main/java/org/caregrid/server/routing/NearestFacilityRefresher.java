package org.caregrid.server.routing;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.caregrid.routing.NearestFacilities;
import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.Unsnapped;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills {@code nearest_facility}: the walk from every key person's home to the nearest health
 * facility, from one multi-source search over the road network (not one route per person), so
 * that the pharmacy-access metric stays plain SQL. Runs when the network becomes ready and on
 * demand; the rows of one run replace all older ones in one transaction.
 */
@Component
public class NearestFacilityRefresher {

    private static final Logger log = LoggerFactory.getLogger(NearestFacilityRefresher.class);

    static final String[] HEALTH_KINDS = {"pharmacy", "clinic", "village_clinic", "community_health_centre"};

    /** Home = the person's own point, else the unit's entrance, else the building's entrance. */
    private static final String HOMES = """
            SELECT k.person_id, ST_Y(h.home) AS lat, ST_X(h.home) AS lon
              FROM key_person k
              JOIN person p ON p.id = k.person_id
              LEFT JOIN unit pu ON pu.id = p.unit_id
              LEFT JOIN building pb ON pb.id = p.building_id
             CROSS JOIN LATERAL (SELECT coalesce(p.location, pu.entrance, pb.entrance) AS home) h
             ORDER BY k.person_id
            """;

    private static final String FACILITIES = """
            SELECT f.id, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f WHERE f.kind = ANY (CAST(:kinds AS text[])) ORDER BY f.id
            """;

    private static final String INSERT = """
            INSERT INTO nearest_facility (person_id, facility_group, status, facility_id, distance_m, duration_s,
                                          profile, computed_at, graph_key)
            VALUES (?, 'health', ?, ?, ?, ?, 'foot', ?, ?)
            """;

    /** What one refresh stored. */
    public record Outcome(int persons, int reached, int unsnappable, int unreachable, int facilities,
                          int unsnappedFacilities, String graphKey, Instant computedAt, long searchMillis) {
    }

    private final RoutingService routing;
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transactions;
    private volatile Outcome last;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final ExecutorService background = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "nearest-facility-refresh");
        thread.setDaemon(true);
        return thread;
    });

    NearestFacilityRefresher(RoutingService routing, JdbcClient jdbc, JdbcTemplate jdbcTemplate,
                             TransactionTemplate transactions) {
        this.routing = routing;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transactions = transactions;
        routing.onReady(network -> {
            Outcome outcome = refresh(network);
            log.info("Nearest health facility stored for {} key persons ({} reached, {} unsnappable, {} unreachable)",
                    outcome.persons(), outcome.reached(), outcome.unsnappable(), outcome.unreachable());
        });
    }

    /**
     * A facility opened, moved or changed kind: the walks are recomputed in the background, once for any
     * number of changes that arrive while a run waits. It is the full refresh: one multi-source search over
     * the network covers every key person at once, so a search limited to the facility's neighbourhood would
     * save little. Without a road network there is nothing to do: the run at start-up will see the change.
     */
    public void refreshAfterChange() {
        if (routing.network().isEmpty() || !refreshQueued.compareAndSet(false, true)) {
            return;
        }
        background.execute(() -> {
            refreshQueued.set(false);
            try {
                routing.network().ifPresent(this::refresh);
            } catch (RuntimeException e) {
                log.warn("The walks to the nearest health facility could not be refreshed after a facility changed", e);
            }
        });
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    public Optional<Outcome> last() {
        return Optional.ofNullable(last);
    }

    /** Recomputes every row on the server's network; 503 when it is not ready. Blocking. */
    public Outcome refresh() {
        return refresh(routing.require());
    }

    // one refresh at a time: the start-up run and an administrator's request must not interleave their rows
    synchronized Outcome refresh(RoadNetwork network) {
        List<Place> homes = new ArrayList<>();
        List<Long> homeless = new ArrayList<>();
        jdbc.sql(HOMES).query(rs -> {
            long id = rs.getLong("person_id");
            double lat = rs.getDouble("lat");
            if (rs.wasNull()) {
                homeless.add(id);
            } else {
                homes.add(new Place(Long.toString(id), lat, rs.getDouble("lon")));
            }
        });
        List<Place> facilities = jdbc.sql(FACILITIES).param("kinds", HEALTH_KINDS)
                .query((rs, n) -> new Place(Long.toString(rs.getLong("id")), rs.getDouble("lat"), rs.getDouble("lon")))
                .list();
        long started = System.nanoTime();
        NearestFacilities result = network.nearestFacilities(TravelMode.FOOT, facilities, homes,
                NearestFacilities.Direction.PERSON_TO_FACILITY);
        long searchMillis = (System.nanoTime() - started) / 1_000_000;
        Timestamp now = Timestamp.from(Instant.now());
        String graphKey = network.graphFolder().getFileName().toString();
        List<Object[]> rows = new ArrayList<>();
        int reached = 0;
        int unreachable = 0;
        Set<String> seen = new HashSet<>();
        for (NearestFacilities.Nearest n : result.results()) {
            seen.add(n.personId());
            if (n.reachable()) {
                reached++;
                rows.add(new Object[] {Long.parseLong(n.personId()), "reached", Long.parseLong(n.facilityId().get()),
                        n.distanceMeters(), n.timeMillis() / 1000.0, now, graphKey});
            } else {
                unreachable++;
                rows.add(new Object[] {Long.parseLong(n.personId()), "unreachable", null, null, null, now, graphKey});
            }
        }
        int unsnappable = 0;
        for (Unsnapped u : result.unsnappedPeople()) {
            if (seen.add(u.id())) {
                unsnappable++;
                rows.add(new Object[] {Long.parseLong(u.id()), "unsnappable", null, null, null, now, graphKey});
            }
        }
        // a key person with no location at all cannot be placed on the network either
        for (long id : homeless) {
            unsnappable++;
            rows.add(new Object[] {id, "unsnappable", null, null, null, now, graphKey});
        }
        transactions.executeWithoutResult(tx -> {
            jdbcTemplate.update("DELETE FROM nearest_facility WHERE facility_group = 'health'");
            jdbcTemplate.batchUpdate(INSERT, rows);
        });
        Outcome outcome = new Outcome(rows.size(), reached, unsnappable, unreachable, facilities.size(),
                result.unsnappedFacilities().size(), graphKey, now.toInstant(), searchMillis);
        last = outcome;
        return outcome;
    }
}
