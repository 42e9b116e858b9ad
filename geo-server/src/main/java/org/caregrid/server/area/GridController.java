package org.caregrid.server.area;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.FeatureLimit;
import org.caregrid.server.web.GeoJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Grid boundaries as GeoJSON, within the caller's scope, optionally of one community. */
@RestController
class GridController {

    private static final String GRIDS = """
            SELECT g.id, g.code, g.name, g.community_code AS "communityCode",
                   (SELECT count(*) FROM building b WHERE b.grid_id = g.id) AS buildings,
                   (SELECT coalesce(sum(b.households), 0) FROM building b WHERE b.grid_id = g.id) AS households,
                   g.geom
              FROM grid g
             WHERE (CAST(:community AS text) IS NULL OR g.community_code = :community)
               AND %s
             ORDER BY g.code
            """;

    private final JdbcClient jdbc;

    GridController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping(value = "/api/grids", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_PLACES)
    Mono<String> grids(@RequestParam(required = false) String community,
                       @RequestParam(required = false) Integer limit,
                       @AuthenticationPrincipal CaregridUser user) {
        if (community != null && !community.matches("[0-9]{12}")) {
            throw ApiException.invalid("community", "error.area.code", community);
        }
        int max = FeatureLimit.check(limit);
        SqlPredicate scope = user.scope().grids("g.id", "g.community_code");
        return Db.async(() -> jdbc.sql(GeoJson.featureCollectionSql(GRIDS.formatted(scope.sql())))
                .params(scope.params()).param("community", community).param("limit", max)
                .query(String.class).single());
    }
}
