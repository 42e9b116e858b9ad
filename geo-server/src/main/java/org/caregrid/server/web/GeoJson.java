package org.caregrid.server.web;

import org.springframework.http.MediaType;

/** GeoJSON is produced by PostGIS; this holds the media type and the SQL that wraps a feature query. */
public final class GeoJson {

    public static final MediaType MEDIA_TYPE = MediaType.parseMediaType("application/geo+json");

    private GeoJson() {
    }

    /**
     * Wraps a query whose rows are features (a geometry column named {@code geom} and property
     * columns) into one FeatureCollection built in the database. At most {@code :limit} features
     * are returned; {@code "truncated": true} says that more matched.
     */
    public static String featureCollectionSql(String featureQuery) {
        return """
                WITH f AS (%s LIMIT :limit + 1)
                SELECT json_build_object(
                         'type', 'FeatureCollection',
                         'features', coalesce((SELECT json_agg(ST_AsGeoJSON(x.*, 'geom', 7)::json)
                                                 FROM (SELECT * FROM f LIMIT :limit) x), '[]'::json),
                         'truncated', (SELECT count(*) FROM f) > :limit)::text
                """.formatted(featureQuery);
    }
}
