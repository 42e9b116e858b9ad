package org.caregrid.server.routing;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.ServiceAreas;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.BoundingBox;
import org.caregrid.server.web.FeatureLimit;
import org.caregrid.server.web.GeoJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The planner's view of health-facility access: the walking service areas of every health facility
 * in a box (one merged polygon per time limit, so that the map shows nested rings rather than one
 * per pharmacy), and the buildings whose key persons live beyond the largest limit, as counts per
 * building with no names. Both are limited to the caller's area.
 */
@RestController
class ServiceAreaController {

    static final int MAX_FACILITIES = 200;

    private static final String FACILITIES_IN_BOX = """
            SELECT f.id, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f
             WHERE f.kind = ANY (CAST(:kinds AS text[]))
               AND f.location && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326)
               AND %s
             ORDER BY f.id
             LIMIT :limit
            """;

    /**
     * Key persons whose stored walk to the nearest health facility is longer than the limit, or who
     * cannot reach one at all (no road to their door, or none that leads to a facility), per building.
     */
    private static final String OUTSIDE_BY_BUILDING = """
            SELECT b.id, b.name, count(*) AS outside,
                   count(*) FILTER (WHERE n.status <> 'reached') AS unreachable,
                   coalesce(b.entrance, ST_PointOnSurface(b.footprint)) AS geom
              FROM key_person k
              JOIN person p ON p.id = k.person_id
              JOIN nearest_facility n ON n.person_id = k.person_id AND n.facility_group = 'health'
              JOIN building b ON b.id = p.building_id
             WHERE (n.status <> 'reached' OR n.duration_s > :seconds) AND p.closed_on IS NULL
               AND coalesce(b.entrance, ST_PointOnSurface(b.footprint)) IS NOT NULL
               AND (CAST(:has_box AS boolean) IS FALSE
                    OR coalesce(b.entrance, b.footprint) && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326))
               AND %s
             GROUP BY b.id
             ORDER BY b.id
            """;

    private final RoutingService routing;
    private final JdbcClient jdbc;

    ServiceAreaController(RoutingService routing, JdbcClient jdbc) {
        this.routing = routing;
        this.jdbc = jdbc;
    }

    @GetMapping(value = "/api/routing/service-areas", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_PLACES)
    Mono<String> serviceAreas(@RequestParam(required = false) String bbox,
                              @RequestParam(defaultValue = "5,10,15") String minutes,
                              @AuthenticationPrincipal CaregridUser user) {
        BoundingBox box = BoundingBox.parse(bbox);
        List<Integer> limits = limits(minutes);
        SqlPredicate scope = user.scope().rows("f.area_code", "f.grid_id");
        return Db.async(() -> {
            RoadNetwork network = routing.require();
            List<Place> facilities = jdbc.sql(FACILITIES_IN_BOX.formatted(scope.sql())).params(scope.params())
                    .param("kinds", NearestFacilityRefresher.HEALTH_KINDS)
                    .param("min_lon", box.minLon()).param("min_lat", box.minLat())
                    .param("max_lon", box.maxLon()).param("max_lat", box.maxLat())
                    .param("limit", MAX_FACILITIES + 1)
                    .query((rs, n) -> new Place(Long.toString(rs.getLong("id")), rs.getDouble("lat"), rs.getDouble("lon")))
                    .list();
            if (facilities.size() > MAX_FACILITIES) {
                throw ApiException.invalid("bbox", "error.routing.tooManyFacilities", MAX_FACILITIES);
            }
            // one search from every facility, one contour per limit: the facilities' isochrones merged
            ServiceAreas areas = network.serviceAreas(TravelMode.FOOT, facilities,
                    limits.stream().map(Duration::ofMinutes).toList());
            return "{\"type\":\"FeatureCollection\",\"facilities\":" + facilities.size()
                    + ",\"unsnapped\":" + areas.unsnapped().size()
                    + ",\"features\":[" + String.join(",", areas.toGeoJsonFeatures()) + "]}";
        });
    }

    /** Buildings with key persons beyond {@code minutes} on foot from any health facility, counted per building. */
    @GetMapping(value = "/api/routing/outside-buildings", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_AGGREGATE)
    Mono<String> outsideBuildings(@RequestParam(required = false) String bbox,
                                  @RequestParam(defaultValue = "15") int minutes,
                                  @AuthenticationPrincipal CaregridUser user) {
        if (minutes < 1 || minutes > 120) {
            throw ApiException.invalid("minutes", "error.range", 1, 120, minutes);
        }
        BoundingBox box = bbox == null || bbox.isBlank() ? null : BoundingBox.parse(bbox);
        SqlPredicate scope = user.scope().rows("p.area_code", "p.grid_id");
        return Db.async(() -> {
            // the stored walks come from the network: without it they may be missing or stale
            routing.require();
            return jdbc.sql(GeoJson.featureCollectionSql(OUTSIDE_BY_BUILDING.formatted(scope.sql())))
                    .params(scope.params())
                    .param("seconds", minutes * 60.0)
                    .param("has_box", box != null)
                    .param("min_lon", box == null ? 0 : box.minLon()).param("min_lat", box == null ? 0 : box.minLat())
                    .param("max_lon", box == null ? 0 : box.maxLon()).param("max_lat", box == null ? 0 : box.maxLat())
                    .param("limit", FeatureLimit.MAX)
                    .query(String.class).single();
        });
    }

    private static List<Integer> limits(String minutes) {
        List<Integer> limits;
        try {
            limits = Arrays.stream(minutes.split(",")).map(String::trim).map(Integer::parseInt).distinct()
                    .sorted((a, b) -> b - a).toList();
        } catch (NumberFormatException e) {
            throw ApiException.invalid("minutes", "error.routing.minutes");
        }
        if (limits.isEmpty() || limits.size() > 6 || limits.stream().anyMatch(m -> m < 1 || m > 120)) {
            throw ApiException.invalid("minutes", "error.routing.minutes");
        }
        return limits;
    }
}
