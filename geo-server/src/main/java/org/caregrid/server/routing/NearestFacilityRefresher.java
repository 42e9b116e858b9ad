package org.caregrid.server.routing;

import java.sql.PreparedStatement;
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
 * demand; one run's rows replace the older ones in one transaction: the rows whose walk changed are written,
 * those of persons the run did not see removed, and the run's time kept as when every walk was last checked.
 */
@Component
public class NearestFacilityRefresher {

    private static final Logger log = LoggerFactory.getLogger(NearestFacilityRefresher.class);

    static final String[] HEALTH_KINDS = {"pharmacy", "clinic", "village_clinic", "community_health_centre"};

    /**
     * Every key person's home (their own point, else their unit's entrance, else their building's), as the coverage
     * state keeps it in the same transaction as each move: one table read, not a join of persons, units and
     * buildings (4–7 s at 1 M residents).
     */
    private static final String HOMES = """
            SELECT c.person_id, ST_Y(c.home) AS lat, ST_X(c.home) AS lon FROM coverage_key_person c ORDER BY c.person_id
            """;

    private static final String FACILITIES = """
            SELECT f.id, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f WHERE f.kind = ANY (CAST(:kinds AS text[])) ORDER BY f.id
            """;

    // One statement for all rows: the coverage triggers on nearest_facility run once per statement, and a batch
    // of single-row inserts (what pgjdbc sends for batchUpdate) refreshed the coverage state once per key person.
    // Only the rows whose walk changed are written (and their coverage kept up): on the 1 M-resident district,
    // rewriting every row took 4.7 s of a 5.1 s refresh in which nothing had changed.
    private static final String UPSERT = """
            WITH run AS (
                SELECT r.person_id, r.status, r.facility_id, r.distance_m, r.duration_s, CAST(? AS text) AS graph_key
                  FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS float8[]),
                              CAST(? AS float8[])) AS r(person_id, status, facility_id, distance_m, duration_s))
            INSERT INTO nearest_facility (person_id, facility_group, status, facility_id, distance_m, duration_s,
                                          profile, computed_at, graph_key)
            SELECT r.person_id, 'health', r.status, r.facility_id, r.distance_m, r.duration_s, 'foot', ?, r.graph_key
              FROM run r
              LEFT JOIN nearest_facility n ON n.person_id = r.person_id AND n.facility_group = 'health'
             WHERE (n.status, n.facility_id, n.distance_m, n.duration_s, n.profile, n.graph_key)
                   IS DISTINCT FROM (r.status, r.facility_id, r.distance_m, r.duration_s, 'foot', r.graph_key)
            ON CONFLICT (person_id, facility_group) DO UPDATE
               SET status = excluded.status, facility_id = excluded.facility_id, distance_m = excluded.distance_m,
                   duration_s = excluded.duration_s, profile = excluded.profile, computed_at = excluded.computed_at,
                   graph_key = excluded.graph_key
            """;

    /** The rows of persons this run did not see (no longer key persons). */
    private static final String DELETE_UNSEEN = """
            DELETE FROM nearest_facility n
             WHERE n.facility_group = 'health'
               AND NOT EXISTS (SELECT 1 FROM unnest(CAST(? AS bigint[])) AS r(person_id) WHERE r.person_id = n.person_id)
            """;

    /** Every stored walk was checked now, those left as they were too: the figures' freshness (CoverageQueries). */
    private static final String CHECKED = """
            INSERT INTO walk_refresh (facility_group, refreshed_at, graph_key) VALUES ('health', ?, ?)
            ON CONFLICT (facility_group) DO UPDATE SET refreshed_at = excluded.refreshed_at, graph_key = excluded.graph_key
            """;

    /**
     * What one refresh stored, and where its time went: reading the homes and facilities, the search (snapping
     * and the one pass over the graph), turning results into rows, and writing them (with the coverage upkeep
     * the triggers do). {@code written}: rows inserted or changed; {@code removed}: rows of persons who are no longer
     * key persons.
     */
    public record Outcome(int persons, int reached, int unsnappable, int unreachable, int facilities,
                          int unsnappedFacilities, int written, int removed, String graphKey, Instant computedAt,
                          long searchMillis, long readMillis, long rowsMillis, long writeMillis) {
        public long totalMillis() {
            return readMillis + searchMillis + rowsMillis + writeMillis;
        }
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

    /** The rows of one refresh, column by column (for one multi-row insert). */
    private static final class Rows {
        final List<Long> person = new ArrayList<>();
        final List<String> status = new ArrayList<>();
        final List<Long> facility = new ArrayList<>();
        final List<Double> distance = new ArrayList<>();
        final List<Double> duration = new ArrayList<>();

        void add(long personId, String rowStatus, Long facilityId, Double distanceMeters, Double durationSeconds) {
            person.add(personId);
            status.add(rowStatus);
            facility.add(facilityId);
            distance.add(distanceMeters);
            duration.add(durationSeconds);
        }

        int size() {
            return person.size();
        }
    }

    // one refresh at a time: the start-up run and an administrator's request must not interleave their rows
    public synchronized Outcome refresh(RoadNetwork network) {
        long started = System.nanoTime();
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
        long read = System.nanoTime();
        NearestFacilities result = network.nearestFacilities(TravelMode.FOOT, facilities, homes,
                NearestFacilities.Direction.PERSON_TO_FACILITY);
        long searched = System.nanoTime();
        Timestamp now = Timestamp.from(Instant.now());
        String graphKey = network.graphFolder().getFileName().toString();
        Rows rows = new Rows();
        int reached = 0;
        int unreachable = 0;
        Set<String> seen = new HashSet<>();
        for (NearestFacilities.Nearest n : result.results()) {
            seen.add(n.personId());
            if (n.reachable()) {
                reached++;
                rows.add(Long.parseLong(n.personId()), "reached", Long.parseLong(n.facilityId().get()),
                        n.distanceMeters(), n.timeMillis() / 1000.0);
            } else {
                unreachable++;
                rows.add(Long.parseLong(n.personId()), "unreachable", null, null, null);
            }
        }
        int unsnappable = 0;
        for (Unsnapped u : result.unsnappedPeople()) {
            if (seen.add(u.id())) {
                unsnappable++;
                rows.add(Long.parseLong(u.id()), "unsnappable", null, null, null);
            }
        }
        // a key person with no location at all cannot be placed on the network either
        for (long id : homeless) {
            unsnappable++;
            rows.add(id, "unsnappable", null, null, null);
        }
        long rowsMade = System.nanoTime();
        int[] changed = transactions.execute(tx -> {
            int upserted = jdbcTemplate.update(connection -> {
                PreparedStatement upsert = connection.prepareStatement(UPSERT);
                upsert.setString(1, graphKey);
                upsert.setArray(2, connection.createArrayOf("bigint", rows.person.toArray()));
                upsert.setArray(3, connection.createArrayOf("text", rows.status.toArray()));
                upsert.setArray(4, connection.createArrayOf("bigint", rows.facility.toArray()));
                upsert.setArray(5, connection.createArrayOf("float8", rows.distance.toArray()));
                upsert.setArray(6, connection.createArrayOf("float8", rows.duration.toArray()));
                upsert.setTimestamp(7, now);
                return upsert;
            });
            int deleted = jdbcTemplate.update(connection -> {
                PreparedStatement delete = connection.prepareStatement(DELETE_UNSEEN);
                delete.setArray(1, connection.createArrayOf("bigint", rows.person.toArray()));
                return delete;
            });
            jdbcTemplate.update(CHECKED, now, graphKey);
            return new int[] {upserted, deleted};
        });
        long written = System.nanoTime();
        Outcome outcome = new Outcome(rows.size(), reached, unsnappable, unreachable, facilities.size(),
                result.unsnappedFacilities().size(), changed[0], changed[1], graphKey, now.toInstant(), millis(read, searched),
                millis(started, read), millis(searched, rowsMade), millis(rowsMade, written));
        last = outcome;
        return outcome;
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
