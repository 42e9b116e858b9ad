package org.caregrid.server.routing;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.util.List;

import org.caregrid.routing.Bounds;
import org.caregrid.routing.Road;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.BoundingBox;
import org.caregrid.server.web.FeatureLimit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The roads of the routing graph in a box, as GeoJSON lines with their road class: caregrid's own
 * base layer, so that the map needs no tile server. The box is cut to the extent of the caller's
 * areas (where boundaries are on record), like the other per-viewport layers; 503 until the
 * network is ready.
 */
@RestController
class RoadController {

    private static final String SCOPE_EXTENT = """
            SELECT ST_XMin(e) AS min_lon, ST_YMin(e) AS min_lat, ST_XMax(e) AS max_lon, ST_YMax(e) AS max_lat
              FROM (SELECT ST_Extent(a.geom) AS e FROM admin_area a WHERE a.geom IS NOT NULL AND %s) x
             WHERE e IS NOT NULL
            """;

    private final RoutingService routing;
    private final JdbcClient jdbc;

    RoadController(RoutingService routing, JdbcClient jdbc) {
        this.routing = routing;
        this.jdbc = jdbc;
    }

    @GetMapping(value = "/api/roads", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_PLACES)
    Mono<String> roads(@RequestParam(required = false) String bbox, @RequestParam(required = false) Integer limit,
                       @AuthenticationPrincipal CaregridUser user) {
        BoundingBox box = BoundingBox.parse(bbox);
        int max = FeatureLimit.check(limit);
        return Db.async(() -> {
            var network = routing.require();
            Bounds visible = new Bounds(box.minLat(), box.minLon(), box.maxLat(), box.maxLon());
            if (!(user.scope() instanceof AreaScope.Everywhere)) {
                visible = cut(visible, user.scope());
            }
            List<Road> roads = visible == null ? List.of() : network.roads(visible, max);
            return collection(roads, max);
        });
    }

    /** The part of the box inside the extent of the scope's areas; null when none; the box itself when unknown. */
    private Bounds cut(Bounds box, AreaScope scope) {
        SqlPredicate areas = scope.areas("a.code");
        List<Bounds> extent = jdbc.sql(SCOPE_EXTENT.formatted(areas.sql())).params(areas.params())
                .query((rs, n) -> new Bounds(rs.getDouble("min_lat"), rs.getDouble("min_lon"),
                        rs.getDouble("max_lat"), rs.getDouble("max_lon")))
                .list();
        if (extent.isEmpty()) {
            return box; // no boundary on record: nothing to cut by (roads are no personal data)
        }
        Bounds e = extent.get(0);
        double minLat = Math.max(box.minLat(), e.minLat());
        double minLon = Math.max(box.minLon(), e.minLon());
        double maxLat = Math.min(box.maxLat(), e.maxLat());
        double maxLon = Math.min(box.maxLon(), e.maxLon());
        return minLat < maxLat && minLon < maxLon ? new Bounds(minLat, minLon, maxLat, maxLon) : null;
    }

    static String collection(List<Road> roads, int max) {
        StringBuilder json = new StringBuilder(64 + roads.size() * 200).append("{\"type\":\"FeatureCollection\",\"features\":[");
        int n = Math.min(max, roads.size());
        for (int i = 0; i < n; i++) {
            Road road = roads.get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"type\":\"Feature\",\"id\":").append(road.edgeId())
                    .append(",\"properties\":{\"class\":\"").append(road.roadClass())
                    .append("\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[");
            var coordinates = road.geometry().getCoordinates();
            for (int c = 0; c < coordinates.length; c++) {
                if (c > 0) {
                    json.append(',');
                }
                json.append('[').append(round(coordinates[c].x)).append(',').append(round(coordinates[c].y)).append(']');
            }
            json.append("]}}");
        }
        return json.append("],\"truncated\":").append(roads.size() > max).append('}').toString();
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1e7) / 1e7;
    }
}
