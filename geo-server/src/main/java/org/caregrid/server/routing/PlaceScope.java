package org.caregrid.server.routing;

import org.caregrid.server.web.ApiException;
import java.util.List;

import org.caregrid.routing.Place;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Routing takes bare coordinates, so the scope check is geometric: every point must lie in one of
 * the admin areas the user may see. Where those areas have no boundary on record nothing can be
 * checked and the points pass (the answer carries no personal data).
 */
@Component
public class PlaceScope {

    private static final String OUTSIDE = """
            SELECT count(*) FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[])) AS p(lon, lat)
             WHERE EXISTS (SELECT 1 FROM admin_area a WHERE a.geom IS NOT NULL AND %1$s)
               AND NOT EXISTS (SELECT 1 FROM admin_area a WHERE a.geom IS NOT NULL AND %1$s
                                 AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)))
            """;

    private final JdbcClient jdbc;

    PlaceScope(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Throws 403 when a place lies outside the user's area. Blocking. */
    public void check(AreaScope scope, List<Place> places) {
        if (scope instanceof AreaScope.Everywhere || places.isEmpty()) {
            return;
        }
        SqlPredicate areas = scope.areas("a.code");
        long outside = jdbc.sql(OUTSIDE.formatted(areas.sql())).params(areas.params())
                .param("lons", places.stream().mapToDouble(Place::lon).boxed().toArray(Double[]::new))
                .param("lats", places.stream().mapToDouble(Place::lat).boxed().toArray(Double[]::new))
                .query(Long.class).single();
        if (outside > 0) {
            throw ApiException.forbidden("error.routing.outside", outside);
        }
    }
}
