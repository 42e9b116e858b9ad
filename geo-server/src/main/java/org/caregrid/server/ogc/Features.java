package org.caregrid.server.ogc;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.caregrid.server.security.AreaScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL of the items endpoints: pages of features, single features and extents, as GeoJSON built by
 * PostGIS in the asked CRS. Blocking: call through {@code Db.async}.
 */
@Component
class Features {

    private static final String FEATURE = """
            json_build_object('type', 'Feature', 'id', p.id,
                              'geometry', ST_AsGeoJSON(%1$s, %2$d, 0)::json,
                              'properties', %3$s)""";

    private static final String PAGE = """
            WITH matched AS NOT MATERIALIZED (SELECT * FROM (%1$s) r WHERE %2$s),
                 page AS (SELECT * FROM matched ORDER BY id LIMIT :limit OFFSET :offset)
            SELECT (SELECT count(*) FROM matched) AS number_matched,
                   (SELECT count(*) FROM page) AS number_returned,
                   coalesce((SELECT json_agg(%3$s ORDER BY p.id) FROM page p), '[]')::text AS features
            """;

    private static final String ONE = """
            SELECT %2$s::text FROM (%1$s) p WHERE %3$s
            """;

    private static final String EXTENT = """
            SELECT ST_XMin(e) AS min_x, ST_YMin(e) AS min_y, ST_XMax(e) AS max_x, ST_YMax(e) AS max_y
              FROM (SELECT ST_Extent(p.geom) AS e FROM (%s) p) x
             WHERE e IS NOT NULL
            """;

    /** A bbox parameter in its CRS (x, y in that CRS's axis order). */
    record Box(double a1, double a2, double b1, double b2, OgcCrs crs) {

        /** The box as an SQL polygon in WGS84, its corners bound as parameters. */
        String envelopeSql(Map<String, Object> params) {
            boolean flip = crs.latitudeFirst();
            params.put("bbox_min_x", flip ? a2 : a1);
            params.put("bbox_min_y", flip ? a1 : a2);
            params.put("bbox_max_x", flip ? b2 : b1);
            params.put("bbox_max_y", flip ? b1 : b2);
            String envelope = "ST_MakeEnvelope(:bbox_min_x, :bbox_min_y, :bbox_max_x, :bbox_max_y, " + crs.srid() + ")";
            return crs.srid() == 4326 ? envelope : "ST_Transform(" + envelope + ", 4326)";
        }
    }

    record Query(Layer layer, AreaScope scope, Box box, Map<String, String> filters, int limit, long offset, OgcCrs crs,
                 Days days) {
    }

    /** The days a {@code datetime} asks for, both ends included; null for an open end. */
    record Days(java.time.LocalDate from, java.time.LocalDate to) {
    }

    record Page(long matched, long returned, String featuresJson) {
    }

    private final JdbcClient jdbc;
    private final CoverageLayer coverage;

    Features(JdbcClient jdbc, CoverageLayer coverage) {
        this.jdbc = jdbc;
        this.coverage = coverage;
    }

    static String featureSql(Layer layer, OgcCrs crs) {
        return FEATURE.formatted(crs.geometrySql("p.geom"), crs.decimals(), layer.propertiesSql());
    }

    Page page(Query q) {
        Map<String, Object> params = new HashMap<>();
        if (q.layer().temporal() && q.days() != null) {
            params.put("day_from", q.days().from());
            params.put("day_to", q.days().to());
        }
        String select = select(q.layer(), q.scope(), q.box() == null ? null : q.box().envelopeSql(params), params);
        StringBuilder where = new StringBuilder("TRUE");
        q.filters().forEach((name, value) -> {
            // names come from the layer's list of queryables only
            where.append(" AND CAST(r.").append(name).append(" AS text) = :q_").append(name);
            params.put("q_" + name, value);
        });
        params.put("limit", q.limit());
        params.put("offset", q.offset());
        String sql = PAGE.formatted(select, where, featureSql(q.layer(), q.crs()));
        return jdbc.sql(sql).params(params)
                .query((rs, n) -> new Page(rs.getLong("number_matched"), rs.getLong("number_returned"),
                        rs.getString("features")))
                .single();
    }

    Optional<String> one(Layer layer, AreaScope scope, String featureId, OgcCrs crs) {
        Map<String, Object> params = new HashMap<>();
        String select = select(layer, scope, null, params);
        String match;
        if (layer.integerIds()) {
            if (!featureId.matches("[0-9]{1,18}")) {
                return Optional.empty();
            }
            match = "p.id = :fid";
            params.put("fid", Long.parseLong(featureId));
        } else {
            match = "p.id = :fid";
            params.put("fid", featureId);
        }
        return jdbc.sql(ONE.formatted(select, featureSql(layer, crs), match)).params(params).query(String.class).optional();
    }

    /** The extent of what the caller sees of a layer, in CRS84 (minLon, minLat, maxLon, maxLat); null when empty. */
    double[] extent(Layer layer, AreaScope scope) {
        Map<String, Object> params = new HashMap<>();
        // the coverage layer is the places of the scope: their extent, without computing every metric
        Layer shape = layer == Layer.COVERAGE ? Layer.ADMIN_AREAS : layer;
        String select = select(shape, scope, null, params);
        return jdbc.sql(EXTENT.formatted(select)).params(params)
                .query((rs, n) -> new double[] {rs.getDouble("min_x"), rs.getDouble("min_y"),
                        rs.getDouble("max_x"), rs.getDouble("max_y")})
                .optional().orElse(null);
    }

    /**
     * The first and last day of what the caller sees of a temporal layer, as ISO dates (the last null while open);
     * null when it has none.
     */
    String[] temporalExtent(Layer layer, AreaScope scope) {
        if (!layer.temporal()) {
            return null;
        }
        Map<String, Object> params = new HashMap<>();
        String select = select(layer, scope, null, params);
        String[] days = jdbc.sql("SELECT " + layer.temporalExtentSql() + " FROM (" + select + ") r").params(params)
                .query((rs, n) -> new String[] {rs.getString("first"), rs.getString("last")}).single();
        return days[0] == null ? null : days;
    }

    /** The layer's SQL with its parameters; the coverage layer's rows are computed first. */
    String select(Layer layer, AreaScope scope, String envelope, Map<String, Object> params) {
        if (layer == Layer.COVERAGE) {
            params.put("coverage", coverage.rowsJson(scope));
        }
        return layer.select(scope, envelope, params);
    }
}
