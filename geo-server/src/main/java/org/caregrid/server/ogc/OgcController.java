package org.caregrid.server.ogc;

import org.caregrid.server.security.Action;
import org.caregrid.server.security.Requires;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.web.ApiException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * OGC API – Features (Part 1 Core, Part 2 CRS) and vector tiles under {@code /ogc}: parameters are checked
 * here, the SQL lives in {@link Features} and {@link Tiles}, the documents in {@link OgcDocuments}. Each
 * resource answers JSON or HTML by {@code f=} or the Accept header.
 */
@RestController
class OgcController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> ITEM_PARAMETERS = Set.of("f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime");

    private final Features features;
    private final Tiles tiles;
    private final JsonMapper json;

    OgcController(Features features, Tiles tiles, JsonMapper json) {
        this.features = features;
        this.tiles = tiles;
        this.json = json;
    }

    @GetMapping({"/ogc", "/ogc/"})

    @Requires(Action.READ_PLACES)
    ResponseEntity<String> landing(@RequestParam(required = false) String f, ServerHttpRequest request) {
        boolean html = html(f, request);
        return answer("caregrid", OgcDocuments.landing(base(request), html), html, OgcDocuments.JSON);
    }

    @GetMapping("/ogc/conformance")

    @Requires(Action.READ_PLACES)
    ResponseEntity<String> conformance(@RequestParam(required = false) String f, ServerHttpRequest request) {
        boolean html = html(f, request);
        return answer("Conformance", OgcDocuments.conformance(base(request), html), html, OgcDocuments.JSON);
    }

    @GetMapping("/ogc/api")

    @Requires(Action.READ_PLACES)
    ResponseEntity<String> api(@RequestParam(required = false) String f, ServerHttpRequest request,
                               @AuthenticationPrincipal CaregridUser user) {
        boolean html = html(f, request);
        return answer("API definition", OgcDocuments.openApi(base(request), OgcAccess.readable(user)), html,
                OgcDocuments.OPENAPI);
    }

    @GetMapping("/ogc/collections")

    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<String>> collections(@RequestParam(required = false) String f, ServerHttpRequest request,
                                             @AuthenticationPrincipal CaregridUser user) {
        boolean html = html(f, request);
        String base = base(request);
        return Db.async(() -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Layer layer : OgcAccess.readable(user)) {
                list.add(OgcDocuments.collection(base, layer, features.extent(layer, OgcAccess.scope(user)),
                        features.temporalExtent(layer, OgcAccess.scope(user)), false));
            }
            return answer("Collections", OgcDocuments.collections(base, list, html), html, OgcDocuments.JSON);
        });
    }

    @GetMapping("/ogc/collections/{collectionId}")

    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<String>> collection(@PathVariable String collectionId, @RequestParam(required = false) String f,
                                            ServerHttpRequest request, @AuthenticationPrincipal CaregridUser user) {
        boolean html = html(f, request);
        Layer layer = OgcAccess.require(user, collectionId);
        return Db.async(() -> answer(layer.title(), OgcDocuments.collection(base(request), layer,
                features.extent(layer, OgcAccess.scope(user)), features.temporalExtent(layer, OgcAccess.scope(user)), html),
                html, OgcDocuments.JSON));
    }

    @GetMapping("/ogc/collections/{collectionId}/items")

    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<String>> items(@PathVariable String collectionId, @RequestParam MultiValueMap<String, String> query,
                                       ServerHttpRequest request, @AuthenticationPrincipal CaregridUser user) {
        Layer layer = OgcAccess.require(user, collectionId);
        boolean html = html(query.getFirst("f"), request);
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : query.keySet()) {
            if (layer.queryables().contains(name)) {
                filters.put(name, query.getFirst(name));
            } else if (!ITEM_PARAMETERS.contains(name)) {
                List<String> taken = new ArrayList<>(ITEM_PARAMETERS);
                taken.addAll(layer.queryables());
                throw ApiException.invalid(name, "error.ogc.parameter", name, String.join(", ", taken));
            }
        }
        OgcCrs crs = OgcCrs.parse(query.getFirst("crs"), "crs");
        Features.Box box = box(query.getFirst("bbox"), OgcCrs.parse(query.getFirst("bbox-crs"), "bbox-crs"));
        if (query.getFirst("bbox-crs") != null && box == null) {
            throw ApiException.invalid("bbox-crs", "error.ogc.bboxCrsWithoutBbox");
        }
        int limit = Math.min(number(query.getFirst("limit"), "limit", DEFAULT_LIMIT, 1), MAX_LIMIT);
        long offset = number(query.getFirst("offset"), "offset", 0, 0);
        Features.Days days = days(query.getFirst("datetime"));
        var q = new Features.Query(layer, OgcAccess.scope(user), box, filters, limit, offset, crs, days);
        String url = base(request) + "/collections/" + layer.id() + "/items";
        return Db.async(() -> {
            Features.Page page = features.page(q);
            String self = withoutFormat(request);
            List<Map<String, Object>> links = OgcDocuments.selfAndAlternate(self, html, OgcDocuments.GEOJSON);
            if (offset + page.returned() < page.matched()) {
                links.add(OgcDocuments.link(withOffset(request, offset + limit, html), "next",
                        html ? OgcDocuments.HTML : OgcDocuments.GEOJSON, "the next page"));
            }
            if (offset > 0) {
                links.add(OgcDocuments.link(withOffset(request, Math.max(0, offset - limit), html), "prev",
                        html ? OgcDocuments.HTML : OgcDocuments.GEOJSON, "the previous page"));
            }
            links.add(OgcDocuments.link(url.substring(0, url.length() - "/items".length()), "collection",
                    OgcDocuments.JSON, "the collection"));
            String body = "{\"type\":\"FeatureCollection\",\"timeStamp\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    + "\",\"numberMatched\":" + page.matched() + ",\"numberReturned\":" + page.returned()
                    + ",\"links\":" + json.writeValueAsString(links) + ",\"features\":" + page.featuresJson() + "}";
            return withCrs(raw(layer.title(), body, html, OgcDocuments.GEOJSON), crs);
        });
    }

    @GetMapping("/ogc/collections/{collectionId}/items/{featureId}")

    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<String>> item(@PathVariable String collectionId, @PathVariable String featureId,
                                      @RequestParam(required = false) String f, @RequestParam(required = false) String crs,
                                      ServerHttpRequest request, @AuthenticationPrincipal CaregridUser user) {
        Layer layer = OgcAccess.require(user, collectionId);
        boolean html = html(f, request);
        OgcCrs outputCrs = OgcCrs.parse(crs, "crs");
        String collectionUrl = base(request) + "/collections/" + layer.id();
        return Db.async(() -> features.one(layer, OgcAccess.scope(user), featureId, outputCrs)
                .orElseThrow(() -> OgcAccess.noFeature(collectionId, featureId)))
                .map(feature -> {
                    List<Map<String, Object>> links = OgcDocuments.selfAndAlternate(withoutFormat(request), html,
                            OgcDocuments.GEOJSON);
                    links.add(OgcDocuments.link(collectionUrl, "collection", OgcDocuments.JSON, "the collection"));
                    String body = feature.substring(0, feature.length() - 1) + ",\"links\":"
                            + json.writeValueAsString(links) + "}";
                    return withCrs(raw(layer.title() + " " + featureId, body, html, OgcDocuments.GEOJSON), outputCrs);
                });
    }

    @GetMapping("/ogc/collections/{collectionId}/tiles")

    @Requires(Action.READ_PLACES)
    ResponseEntity<String> tilesets(@PathVariable String collectionId, @RequestParam(required = false) String f,
                                    ServerHttpRequest request, @AuthenticationPrincipal CaregridUser user) {
        Layer layer = OgcAccess.require(user, collectionId);
        boolean html = html(f, request);
        return answer(layer.title() + " tiles", OgcDocuments.tilesets(base(request), layer, html), html, OgcDocuments.JSON);
    }

    @GetMapping("/ogc/collections/{collectionId}/tiles/WebMercatorQuad/tilejson")

    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<String>> tileJson(@PathVariable String collectionId, ServerHttpRequest request,
                                          @AuthenticationPrincipal CaregridUser user) {
        Layer layer = OgcAccess.require(user, collectionId);
        return Db.async(() -> answer(layer.title(), OgcDocuments.tileJson(base(request), layer,
                features.extent(layer, OgcAccess.scope(user))), false, OgcDocuments.JSON));
    }

    @GetMapping("/ogc/collections/{collectionId}/tiles/WebMercatorQuad/{z}/{y}/{x}")

    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<byte[]>> tile(@PathVariable String collectionId, @PathVariable int z, @PathVariable long y,
                                      @PathVariable long x, ServerHttpRequest request,
                                      @AuthenticationPrincipal CaregridUser user) {
        Layer layer = OgcAccess.require(user, collectionId);
        if (!Tiles.exists(z, x, y)) {
            // as text: a message format would group the digits of a row or column number
            throw ApiException.notFound("error.ogc.tile", String.valueOf(z), String.valueOf(y), String.valueOf(x),
                    String.valueOf(Tiles.MAX_ZOOM));
        }
        return Db.async(() -> tiles.tile(layer, OgcAccess.scope(user), z, (int) x, (int) y)).map(tile -> {
            // tiles are scoped: only the caller's own browser may keep them
            CacheControl cache = CacheControl.maxAge(java.time.Duration.ofSeconds(60)).cachePrivate().mustRevalidate();
            if (request.getHeaders().getIfNoneMatch().contains(tile.etag())) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(tile.etag()).cacheControl(cache).<byte[]>build();
            }
            return ResponseEntity.ok().contentType(MediaType.parseMediaType(OgcDocuments.MVT)).eTag(tile.etag())
                    .cacheControl(cache).body(tile.bytes());
        });
    }

    // --- the edge: formats, parameters, URLs ---

    /** HTML when f=html, or when the Accept header prefers text/html to every JSON type. */
    static boolean html(String f, ServerHttpRequest request) {
        if (f != null) {
            return switch (f) {
                case "html" -> true;
                case "json" -> false;
                default -> throw ApiException.invalid("f", "error.ogc.format", f);
            };
        }
        double htmlQ = 0;
        double jsonQ = 0;
        for (MediaType type : request.getHeaders().getAccept()) {
            if (type.getType().equals("text") && type.getSubtype().equals("html")) {
                htmlQ = Math.max(htmlQ, type.getQualityValue());
            } else if (type.getSubtype().endsWith("json")) {
                jsonQ = Math.max(jsonQ, type.getQualityValue());
            }
        }
        return htmlQ > 0 && htmlQ >= jsonQ;
    }

    private ResponseEntity<String> answer(String title, Map<String, Object> doc, boolean html, String jsonType) {
        return raw(title, json.writeValueAsString(doc), html, jsonType);
    }

    private ResponseEntity<String> raw(String title, String body, boolean html, String jsonType) {
        if (html) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
                    .body(OgcHtml.page(title, json.readTree(body)));
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(jsonType)).body(body);
    }

    private static ResponseEntity<String> withCrs(ResponseEntity<String> answer, OgcCrs crs) {
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(answer.getHeaders());
        headers.set("Content-Crs", "<" + crs.uri() + ">");
        return new ResponseEntity<>(answer.getBody(), headers, answer.getStatusCode());
    }

    private static String base(ServerHttpRequest request) {
        return UriComponentsBuilder.fromUri(request.getURI()).replacePath("/ogc").replaceQuery(null).build().toUriString();
    }

    private static String withoutFormat(ServerHttpRequest request) {
        return UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam("f").build().toUriString();
    }

    private static String withOffset(ServerHttpRequest request, long offset, boolean html) {
        return UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam("offset", offset)
                .replaceQueryParam("f", html ? "html" : "json").build().toUriString();
    }

    private static Features.Box box(String bbox, OgcCrs crs) {
        if (bbox == null) {
            return null;
        }
        String[] parts = bbox.split(",");
        if (parts.length != 4 && parts.length != 6) {
            throw ApiException.invalid("bbox", "error.ogc.bbox.count", parts.length, bbox);
        }
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("bbox", "error.ogc.bbox.number", i + 1, parts[i].trim());
            }
        }
        int half = parts.length / 2;
        // with heights the order is minx,miny,minz,maxx,maxy,maxz: heights are ignored
        double a1 = v[0];
        double a2 = v[1];
        double b1 = v[half];
        double b2 = v[half + 1];
        if (a2 > b2 || (crs != OgcCrs.CRS84 && a1 > b1)) {
            throw ApiException.invalid("bbox", "error.ogc.bbox.order", bbox);
        }
        if (crs == OgcCrs.CRS84 && (a1 > b1 || a1 < -180 || b1 > 180 || a2 < -90 || b2 > 90)) {
            throw ApiException.invalid("bbox", "error.ogc.bbox.range", bbox);
        }
        return new Features.Box(a1, a2, b1, b2, crs);
    }

    /**
     * The days of a {@code datetime} (OGC 17-069r4, 7.15.4): a date or an RFC 3339 date-time, or an interval
     * of two such with {@code ..} (or nothing) for an open end. Date-times count by their day in Beijing time,
     * the day the visit ledger keeps.
     */
    static Features.Days days(String datetime) {
        if (datetime == null || datetime.isBlank()) {
            return null;
        }
        String[] ends = datetime.trim().split("/", -1);
        if (ends.length > 2) {
            throw ApiException.invalid("datetime", "error.ogc.datetime", datetime);
        }
        java.time.LocalDate from = day(ends[0], datetime);
        java.time.LocalDate to = ends.length == 1 ? from : day(ends[1], datetime);
        if (ends.length == 2 && from == null && to == null) {
            return null;
        }
        if (ends.length == 1 && from == null || from != null && to != null && to.isBefore(from)) {
            throw ApiException.invalid("datetime", "error.ogc.datetime", datetime);
        }
        return new Features.Days(from, to);
    }

    private static java.time.LocalDate day(String end, String datetime) {
        String text = end.trim();
        if (text.isEmpty() || text.equals("..")) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return java.time.LocalDate.parse(text);
            }
            return java.time.OffsetDateTime.parse(text.replace(' ', 'T')).atZoneSameInstant(BEIJING).toLocalDate();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalid("datetime", "error.ogc.datetime", datetime);
        }
    }

    private static final java.time.ZoneId BEIJING = java.time.ZoneId.of("Asia/Shanghai");

    private static int number(String value, String name, int absent, int min) {
        if (value == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min) {
                throw ApiException.invalid(name, "error.ogc.number.min", min, value);
            }
            return (int) Math.min(n, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "error.ogc.number", value);
        }
    }
}
