package org.caregrid.server.ogc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents of OGC API – Features (landing page, conformance, collections, the OpenAPI
 * definition) as maps for the JSON writer. Every link is absolute, from the request's own base URL.
 */
final class OgcDocuments {

    static final String JSON = "application/json";
    static final String GEOJSON = "application/geo+json";
    static final String HTML = "text/html";
    static final String OPENAPI = "application/vnd.oai.openapi+json;version=3.0";
    static final String MVT = "application/vnd.mapbox-vector-tile";

    static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt");

    private OgcDocuments() {
    }

    static Map<String, Object> link(String href, String rel, String type, String title) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("href", href);
        link.put("rel", rel);
        link.put("type", type);
        if (title != null) {
            link.put("title", title);
        }
        return link;
    }

    /** self and alternate for a resource at {@code url} (without f), in the format asked and the other one. */
    static List<Map<String, Object>> selfAndAlternate(String url, boolean html, String jsonType) {
        String sep = url.contains("?") ? "&" : "?";
        var json = link(url + sep + "f=json", html ? "alternate" : "self", jsonType, "this document as JSON");
        var page = link(url + sep + "f=html", html ? "self" : "alternate", HTML, "this document as HTML");
        return new ArrayList<>(html ? List.of(page, json) : List.of(json, page));
    }

    static Map<String, Object> landing(String base, boolean html) {
        List<Map<String, Object>> links = selfAndAlternate(base, html, JSON);
        links.add(link(base + "/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)"));
        links.add(link(base + "/api?f=html", "service-doc", HTML, "the API definition as a page"));
        links.add(link(base + "/conformance", "conformance", JSON, "the conformance classes implemented"));
        links.add(link(base + "/collections", "data", JSON, "the collections"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "caregrid");
        doc.put("description", "Community care grids as OGC API – Features and vector tiles: admin areas, grids, "
                + "compounds, buildings, units, facilities, coverage, key persons per building. Limited to your area of work.");
        doc.put("links", links);
        return doc;
    }

    static Map<String, Object> conformance(String base, boolean html) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("links", selfAndAlternate(base + "/conformance", html, JSON));
        doc.put("conformsTo", CONFORMANCE);
        return doc;
    }

    /**
     * @param extent the spatial extent the caller sees (CRS84), or null
     * @param days   the first and last day of a temporal collection's items, or null
     */
    static Map<String, Object> collection(String base, Layer layer, double[] extent, String[] days, boolean html) {
        String url = base + "/collections/" + layer.id();
        List<Map<String, Object>> links = selfAndAlternate(url, html, JSON);
        links.add(link(url + "/items?f=json", "items", GEOJSON, "the features as GeoJSON"));
        links.add(link(url + "/items?f=html", "items", HTML, "the features as a page"));
        links.add(link(url + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", JSON, "vector tiles"));
        links.add(link(url + "/tiles/WebMercatorQuad/tilejson", "describedby", JSON, "TileJSON"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", layer.id());
        doc.put("title", layer.title());
        doc.put("description", layer.description());
        doc.put("itemType", "feature");
        doc.put("links", links);
        Map<String, Object> extents = new LinkedHashMap<>();
        if (extent != null) {
            extents.put("spatial", Map.of("bbox", List.of(List.of(extent[0], extent[1], extent[2], extent[3])),
                    "crs", OgcCrs.CRS84.uri()));
        }
        if (days != null) {
            // whole days in Beijing time, written as instants (OGC 17-069r4, 7.13: RFC 3339, Gregorian)
            // an open end (a term still running) is null (OGC 17-069r4, 7.13)
            List<String> interval = java.util.Arrays.asList(days[0] + "T00:00:00+08:00",
                    days[1] == null ? null : days[1] + "T23:59:59+08:00");
            extents.put("temporal", Map.of("interval", List.of(interval),
                    "trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
        }
        if (!extents.isEmpty()) {
            doc.put("extent", extents);
        }
        doc.put("crs", OgcCrs.uris());
        doc.put("storageCrs", OgcCrs.CRS84.uri());
        return doc;
    }

    static Map<String, Object> collections(String base, List<Map<String, Object>> collections, boolean html) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("links", selfAndAlternate(base + "/collections", html, JSON));
        doc.put("crs", OgcCrs.uris());
        doc.put("collections", collections);
        return doc;
    }

    /** TileJSON 3.0.0 for a collection's WebMercatorQuad tiles. */
    static Map<String, Object> tileJson(String base, Layer layer, double[] extent) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tilejson", "3.0.0");
        doc.put("name", layer.id());
        doc.put("description", layer.title());
        doc.put("scheme", "xyz");
        doc.put("tiles", List.of(base + "/collections/" + layer.id() + "/tiles/WebMercatorQuad/{z}/{y}/{x}"));
        doc.put("minzoom", 0);
        doc.put("maxzoom", Tiles.MAX_ZOOM);
        if (extent != null) {
            doc.put("bounds", List.of(extent[0], extent[1], extent[2], extent[3]));
        }
        doc.put("vector_layers", List.of(Map.of("id", layer.id(), "description", layer.description(), "fields", Map.of())));
        return doc;
    }

    static Map<String, Object> tilesets(String base, Layer layer, boolean html) {
        String url = base + "/collections/" + layer.id() + "/tiles";
        Map<String, Object> tileset = new LinkedHashMap<>();
        tileset.put("title", layer.title() + " (WebMercatorQuad)");
        tileset.put("dataType", "vector");
        tileset.put("crs", "http://www.opengis.net/def/crs/EPSG/0/3857");
        tileset.put("tileMatrixSetURI", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad");
        tileset.put("links", List.of(
                link(url + "/WebMercatorQuad/{z}/{y}/{x}", "item", MVT, "a tile (z = tileMatrix, y = tileRow, x = tileCol)"),
                link(url + "/WebMercatorQuad/tilejson", "describedby", JSON, "TileJSON"),
                link("http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
                        "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", JSON, "WebMercatorQuad")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("links", selfAndAlternate(url, html, JSON));
        doc.put("tilesets", List.of(tileset));
        return doc;
    }

    /** The OpenAPI 3.0 definition of everything under /ogc. */
    static Map<String, Object> openApi(String base, List<Layer> layers) {
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("/", operation("getLandingPage", "The landing page", List.of(param("f")), JSON));
        paths.put("/conformance", operation("getConformance", "The conformance classes", List.of(param("f")), JSON));
        paths.put("/api", operation("getApi", "This API definition", List.of(param("f")), OPENAPI));
        paths.put("/collections", operation("getCollections", "The collections", List.of(param("f")), JSON));
        paths.put("/collections/{collectionId}", operation("describeCollection", "One collection",
                List.of(param("collectionId"), param("f")), JSON));
        List<Object> itemParams = new ArrayList<>(List.of(param("collectionId"), param("f"), param("limit"),
                param("offset"), param("bbox"), param("bbox-crs"), param("crs"), param("datetime")));
        paths.put("/collections/{collectionId}/items", operation("getFeatures",
                "The features of a collection inside your area of work; property filters by the collection's queryables",
                itemParams, GEOJSON));
        paths.put("/collections/{collectionId}/items/{featureId}", operation("getFeature", "One feature",
                List.of(param("collectionId"), param("featureId"), param("f"), param("crs")), GEOJSON));
        paths.put("/collections/{collectionId}/tiles", operation("getTileSets", "The vector tile sets of a collection",
                List.of(param("collectionId"), param("f")), JSON));
        paths.put("/collections/{collectionId}/tiles/WebMercatorQuad/tilejson", operation("getTileJson",
                "TileJSON of a collection", List.of(param("collectionId")), JSON));
        paths.put("/collections/{collectionId}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}",
                operation("getTile", "A Mapbox vector tile", List.of(param("collectionId"), param("tileMatrix"),
                        param("tileRow"), param("tileCol")), MVT));

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("collectionId", parameter("collectionId", "path", "a collection",
                Map.of("type", "string", "enum", layers.stream().map(Layer::id).toList())));
        parameters.put("featureId", parameter("featureId", "path", "a feature's id", Map.of("type", "string")));
        parameters.put("f", parameter("f", "query", "the format: json or html",
                Map.of("type", "string", "enum", List.of("json", "html"))));
        parameters.put("limit", parameter("limit", "query", "features per page (larger values give 10000)",
                Map.of("type", "integer", "minimum", 1, "maximum", 10_000, "default", 100)));
        parameters.put("offset", parameter("offset", "query", "features to skip",
                Map.of("type", "integer", "minimum", 0, "default", 0)));
        Map<String, Object> bbox = parameter("bbox", "query", "minx,miny,maxx,maxy in bbox-crs (CRS84 by default)",
                Map.of("type", "array", "minItems", 4, "maxItems", 6, "items", Map.of("type", "number")));
        bbox.put("style", "form");
        bbox.put("explode", false);
        parameters.put("bbox", bbox);
        parameters.put("bbox-crs", parameter("bbox-crs", "query", "the CRS of bbox",
                Map.of("type", "string", "format", "uri", "enum", OgcCrs.uris())));
        parameters.put("crs", parameter("crs", "query", "the CRS of the geometries returned",
                Map.of("type", "string", "format", "uri", "enum", OgcCrs.uris())));
        parameters.put("datetime", parameter("datetime", "query", "the visits' days, or the days the heads' terms overlap (assignments): a day, a date-time, or an interval start/end with .. for an open end; other collections have no time and ignore it",
                Map.of("type", "string")));
        parameters.put("tileMatrix", parameter("tileMatrix", "path", "zoom level, 0 to " + Tiles.MAX_ZOOM,
                Map.of("type", "integer", "minimum", 0, "maximum", Tiles.MAX_ZOOM)));
        parameters.put("tileRow", parameter("tileRow", "path", "row (y)", Map.of("type", "integer", "minimum", 0)));
        parameters.put("tileCol", parameter("tileCol", "path", "column (x)", Map.of("type", "integer", "minimum", 0)));

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "caregrid OGC API – Features", "version", "1.0.0",
                "description", "Features and vector tiles of caregrid, limited to the caller's area of work."));
        doc.put("servers", List.of(Map.of("url", base)));
        doc.put("security", List.of(Map.of("basicAuth", List.of())));
        doc.put("paths", paths);
        doc.put("components", Map.of("parameters", parameters,
                "securitySchemes", Map.of("basicAuth", Map.of("type", "http", "scheme", "basic"))));
        return doc;
    }

    private static Map<String, Object> param(String name) {
        return Map.of("$ref", "#/components/parameters/" + name);
    }

    private static Map<String, Object> parameter(String name, String in, String description, Map<String, Object> schema) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("in", in);
        p.put("description", description);
        p.put("required", in.equals("path"));
        p.put("schema", schema);
        return p;
    }

    private static Map<String, Object> operation(String id, String summary, List<?> parameters, String type) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put(type, Map.of("schema", type.equals(MVT) ? Map.of("type", "string", "format", "binary")
                : Map.of("type", "object")));
        if (!type.equals(MVT)) {
            content.put(HTML, Map.of("schema", Map.of("type", "string")));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", summary, "content", content));
        responses.put("400", Map.of("description", "a parameter is wrong"));
        responses.put("401", Map.of("description", "no log-in"));
        responses.put("404", Map.of("description", "no such collection or feature in your area of work"));
        Map<String, Object> get = new LinkedHashMap<>();
        get.put("operationId", id);
        get.put("summary", summary);
        get.put("parameters", parameters);
        get.put("responses", responses);
        return Map.of("get", get);
    }
}
