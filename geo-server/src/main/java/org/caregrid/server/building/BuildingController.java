package org.caregrid.server.building;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.config.Today;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.BoundingBox;
import org.caregrid.server.web.FeatureLimit;
import org.caregrid.server.web.GeoJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import java.util.List;

import org.caregrid.server.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Buildings in a bounding box, as GeoJSON, limited to the caller's scope. */
@RestController
class BuildingController {

    private static final String BUILDINGS_IN_BOX = """
            SELECT b.id, b.name, b.address, b.floors, b.households, b.households_estimated AS "householdsEstimated",
                   b.grid_id AS "gridId", b.area_code AS "areaCode", b.compound_id AS "compoundId",
                   (SELECT count(*) FROM unit u WHERE u.building_id = b.id) AS units,
                   EXISTS (SELECT 1 FROM role_assignment r WHERE r.role = 'building_head' AND r.scope_building_id = b.id
                             AND %1$s) AS "hasBuildingHead",
                   (SELECT count(*) FROM unit u WHERE u.building_id = b.id
                       AND NOT EXISTS (SELECT 1 FROM role_assignment r WHERE r.role = 'unit_head'
                                        AND r.scope_unit_id = u.id AND %1$s)) AS "unitsWithoutHead",
                   coalesce(b.footprint, b.entrance) AS geom
              FROM building b
             WHERE (b.entrance && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326)
                    OR b.footprint && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326))
               AND %2$s
             ORDER BY b.id
            """;

    private static final String ROLE_ACTIVE_TODAY =
            "r.valid_from <= :as_of AND (r.valid_to IS NULL OR r.valid_to >= :as_of)";

    /** A unit of a building, for the forms that place a person in one. */
    record Unit(long id, String number) {
    }

    private final JdbcClient jdbc;
    private final Today today;

    BuildingController(JdbcClient jdbc, Today today) {
        this.jdbc = jdbc;
        this.today = today;
    }

    @GetMapping(value = "/api/buildings", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_PLACES)
    Mono<String> buildings(@RequestParam(required = false) String bbox,
                           @RequestParam(required = false) Integer limit,
                           @AuthenticationPrincipal CaregridUser user) {
        BoundingBox box = BoundingBox.parse(bbox);
        int max = FeatureLimit.check(limit);
        SqlPredicate scope = user.scope().rows("b.area_code", "b.grid_id");
        return Db.async(() -> jdbc.sql(GeoJson.featureCollectionSql(BUILDINGS_IN_BOX.formatted(ROLE_ACTIVE_TODAY, scope.sql())))
                .params(scope.params())
                .param("min_lon", box.minLon()).param("min_lat", box.minLat())
                .param("max_lon", box.maxLon()).param("max_lat", box.maxLat())
                .param("limit", max)
                .param("as_of", today.date())
                .query(String.class).single());
    }

    /** The units of one building of the caller's scope, in number order; 404 outside it. */
    @GetMapping("/api/buildings/{id}/units")
    @Requires(Action.READ_PLACES)
    Mono<List<Unit>> units(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        SqlPredicate scope = user.scope().rows("b.area_code", "b.grid_id");
        return Db.async(() -> {
            boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM building b WHERE b.id = :id AND " + scope.sql() + ")")
                    .params(scope.params()).param("id", id).query(Boolean.class).single();
            if (!visible) {
                throw ApiException.notFound("error.assignment.noSuch.buildingId", id);
            }
            // numbers are text ("1", "2", "10"): the numeric ones in numeric order, the rest after them
            return jdbc.sql("SELECT id, number FROM unit WHERE building_id = :id "
                            + "ORDER BY (CASE WHEN number ~ '^[0-9]{1,9}$' THEN number::int END) NULLS LAST, number, id")
                    .param("id", id).query(Unit.class).list();
        });
    }
}
