package org.caregrid.server.facility;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.caregrid.importer.FacilityKind;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.BoundingBox;
import org.caregrid.server.web.FeatureLimit;
import org.caregrid.server.web.GeoJson;
import org.caregrid.server.web.Versions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Pharmacies, clinics, stations and offices as GeoJSON, by kind and bounding box, within the caller's scope. */
@RestController
class FacilityController {

    private static final String FACILITIES = """
            SELECT f.id, f.kind, f.name, f.opening_hours AS "openingHours", f.phone, f.address,
                   f.area_code AS "areaCode", f.grid_id AS "gridId", f.specialities, f.emergency,
                   f.location AS geom
              FROM facility f
             WHERE (CAST(:kinds AS text[]) IS NULL OR f.kind = ANY (CAST(:kinds AS text[])))
               AND (CAST(:min_lon AS float8) IS NULL
                    OR f.location && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326))
               AND %s
             ORDER BY f.id
            """;

    private final JdbcClient jdbc;
    private final Facilities facilities;

    FacilityController(JdbcClient jdbc, Facilities facilities) {
        this.jdbc = jdbc;
        this.facilities = facilities;
    }

    @PostMapping("/api/facilities")
    @Requires(Action.KEEP_FACILITIES)
    Mono<ResponseEntity<Facilities.Facility>> register(@RequestBody Facilities.NewFacility facility) {
        return Db.async(() -> facilities.register(facility))
                .map(f -> Versions.created("/api/facilities/" + f.id(), f.version(), f));
    }

    @PatchMapping("/api/facilities/{id}")
    @Requires(Action.KEEP_FACILITIES)
    Mono<ResponseEntity<Facilities.Facility>> change(@PathVariable long id, @RequestBody Facilities.FacilityChange change,
                                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                     @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> facilities.change(id, change, version, user.scope()))
                .map(f -> Versions.current(f.version(), f));
    }

    @GetMapping("/api/facilities/{id}")
    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<Facilities.Facility>> one(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> facilities.find(id, user.scope()))
                .map(f -> Versions.current(f.version(), f));
    }

    /**
     * @param type one kind or a comma-separated list (pharmacy, clinic, ...); all kinds when absent
     * @param bbox minLon,minLat,maxLon,maxLat; the whole scope when absent
     */
    @GetMapping(value = "/api/facilities", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_PLACES)
    Mono<String> facilities(@RequestParam(required = false) String type,
                            @RequestParam(required = false) String bbox,
                            @RequestParam(required = false) Integer limit,
                            @AuthenticationPrincipal CaregridUser user) {
        String[] kinds = type == null || type.isBlank() ? null : parseKinds(type);
        BoundingBox box = bbox == null ? null : BoundingBox.parse(bbox);
        int max = FeatureLimit.check(limit);
        // facilities carry no personal data: a grid worker sees those of the grid's whole community
        SqlPredicate scope = user.scope().rows("f.area_code", null);
        return Db.async(() -> jdbc.sql(GeoJson.featureCollectionSql(FACILITIES.formatted(scope.sql())))
                .params(scope.params())
                .param("kinds", kinds)
                .param("min_lon", box == null ? null : box.minLon())
                .param("min_lat", box == null ? null : box.minLat())
                .param("max_lon", box == null ? null : box.maxLon())
                .param("max_lat", box == null ? null : box.maxLat())
                .param("limit", max)
                .query(String.class).single());
    }

    private static String[] parseKinds(String type) {
        return Arrays.stream(type.split(",")).map(String::trim).map(code -> {
            FacilityKind kind = FacilityKind.parse(code);
            if (kind == null) {
                throw ApiException.invalid("type", "error.facility.type", code, Arrays.stream(FacilityKind.values())
                        .map(k -> k.name().toLowerCase()).collect(Collectors.joining(", ")));
            }
            return kind.name().toLowerCase();
        }).distinct().toArray(String[]::new);
    }
}
