package org.caregrid.server.routing;

import java.util.ArrayList;
import java.util.List;

import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.Road;
import org.locationtech.jts.io.WKBWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the edges of the server's road graph to {@code road_edge} when the graph is opened, so that the
 * OGC API serves the road network like its other layers. A graph already stored (same key) is left as it
 * is; another one replaces every row in one transaction, so a reader sees one graph or the other.
 */
@Component
public class RoadEdgeStore {

    /** Sent once a graph's edges are stored: tiles made of the old ones are out of date. */
    public record Stored(String graphKey, int edges) {
    }

    private static final Logger log = LoggerFactory.getLogger(RoadEdgeStore.class);
    private static final int BATCH = 5_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    RoadEdgeStore(RoutingService routing, JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions,
                  ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transactions = transactions;
        this.events = events;
        routing.onReady(this::store);
    }

    /** Stores the graph's edges unless they are there already; the number stored (0 when nothing changed). */
    int store(RoadNetwork network) {
        String graphKey = network.graphFolder().getFileName().toString();
        boolean current = jdbc.sql("SELECT EXISTS (SELECT 1 FROM road_edge WHERE graph_key = :key) "
                        + "AND NOT EXISTS (SELECT 1 FROM road_edge WHERE graph_key <> :key)")
                .param("key", graphKey).query(Boolean.class).single();
        if (current) {
            return 0;
        }
        List<Road> roads = network.roads(network.bounds(), Integer.MAX_VALUE - 1);
        WKBWriter wkb = new WKBWriter();
        transactions.executeWithoutResult(tx -> {
            jdbcTemplate.update("DELETE FROM road_edge");
            List<Object[]> batch = new ArrayList<>(BATCH);
            for (Road road : roads) {
                batch.add(new Object[] {road.edgeId(), graphKey, road.roadClass(), wkb.write(road.geometry())});
                if (batch.size() == BATCH) {
                    insert(batch);
                }
            }
            insert(batch);
        });
        log.info("Stored the {} edges of road graph {} for the OGC API", roads.size(), graphKey);
        events.publishEvent(new Stored(graphKey, roads.size()));
        return roads.size();
    }

    private void insert(List<Object[]> batch) {
        if (!batch.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO road_edge (edge_id, graph_key, road_class, geom) "
                    + "VALUES (?, ?, ?, ST_SetSRID(ST_GeomFromWKB(?), 4326))", batch);
            batch.clear();
        }
    }
}
