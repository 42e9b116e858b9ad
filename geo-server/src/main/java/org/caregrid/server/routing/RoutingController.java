package org.caregrid.server.routing;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.caregrid.routing.IsochroneResult;
import org.caregrid.routing.NearestFacilities;
import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.Route;
import org.caregrid.routing.RouteResult;
import org.caregrid.routing.TravelMatrix;
import org.caregrid.routing.TravelMode;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Routes, matrices, isochrones and the nearest facility over the server's road network. Every
 * point must lie in the caller's area; 503 until the network is ready; places that cannot be
 * attached to a road come back as 422 with their ids and distances.
 */
@RestController
class RoutingController {

    static final int MAX_MATRIX_PLACES = 1000;
    static final int MAX_VIA_POINTS = 25;

    private static final String HEALTH_FACILITIES = """
            SELECT f.id, f.kind, f.name, f.address, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f
             WHERE f.kind = ANY (CAST(:kinds AS text[])) AND %s
             ORDER BY f.id
            """;

    private final RoutingService routing;
    private final PlaceScope placeScope;
    private final JdbcClient jdbc;

    RoutingController(RoutingService routing, PlaceScope placeScope, JdbcClient jdbc) {
        this.routing = routing;
        this.placeScope = placeScope;
        this.jdbc = jdbc;
    }

    record RouteAnswer(String profile, double distanceMeters, double durationSeconds, List<double[]> coordinates,
                       List<Instruction> instructions) {
    }

    record Instruction(String text, double distanceMeters, double durationSeconds, int sign, int pointIndex) {
    }

    /**
     * @param from "lat,lon"
     * @param to   "lat,lon"
     * @param via  "lat,lon;lat,lon;...", visited in order (";" because Spring splits a list parameter at commas)
     * @param lang zh-CN (default) or en: the language of the turn instructions
     */
    @GetMapping("/api/routing/route")
    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<Object>> route(@RequestParam String from, @RequestParam String to,
                                       @RequestParam(required = false) String via,
                                       @RequestParam(defaultValue = "foot") String profile,
                                       @RequestParam(defaultValue = "zh-CN") String lang,
                                       @AuthenticationPrincipal CaregridUser user) {
        TravelMode mode = mode(profile);
        List<Place> points = new ArrayList<>();
        points.add(place("from", from));
        List<String> vias = via == null || via.isBlank() ? List.of() : List.of(via.split(";"));
        if (vias.size() > MAX_VIA_POINTS) {
            throw ApiException.invalid("via", "error.routing.via", MAX_VIA_POINTS);
        }
        for (int i = 0; i < vias.size(); i++) {
            points.add(place("via" + (i + 1), vias.get(i)));
        }
        points.add(place("to", to));
        Locale locale = lang.toLowerCase(Locale.ROOT).startsWith("en") ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
        return Db.async(() -> {
            RoadNetwork network = routing.require();
            placeScope.check(user.scope(), points);
            RouteResult result = network.route(mode, points, locale);
            if (!result.unsnapped().isEmpty()) {
                return unprocessable(SnappingFailed.of("Some points are not near a road usable on " + profile,
                        result.unsnapped()));
            }
            if (result.route().isEmpty()) {
                return unprocessable(new SnappingFailed("No route: " + result.problem(), List.of()));
            }
            Route r = result.route().get();
            return ResponseEntity.ok(new RouteAnswer(mode.profileName(), r.distanceMeters(), r.timeMillis() / 1000.0,
                    RoutingService.coordinates(r.geometry()),
                    r.instructions().stream().map(i -> new Instruction(i.text(), i.distanceMeters(),
                            i.timeMillis() / 1000.0, i.sign(), i.pointIndex())).toList()));
        });
    }

    record PlaceIn(String id, double lat, double lon) {
    }

    record MatrixRequest(String profile, List<PlaceIn> sources, List<PlaceIn> targets) {
    }

    /** Unreachable pairs are null; unsnapped places are listed and their rows/columns are null. */
    record MatrixAnswer(String profile, List<String> sourceIds, List<String> targetIds, Double[][] distanceMeters,
                        Double[][] durationSeconds, List<SnappingFailed.Failure> unsnapped) {
    }

    @PostMapping("/api/routing/matrix")
    @Requires(Action.READ_PLACES)
    Mono<MatrixAnswer> matrix(@RequestBody MatrixRequest request, @AuthenticationPrincipal CaregridUser user) {
        if (request.sources() == null || request.sources().isEmpty()) {
            throw ApiException.invalid("sources", "error.required");
        }
        TravelMode mode = mode(request.profile() == null ? "foot" : request.profile());
        List<Place> sources = places("s", request.sources());
        List<Place> targets = request.targets() == null || request.targets().isEmpty() ? sources
                : places("t", request.targets());
        if (sources.size() > MAX_MATRIX_PLACES || targets.size() > MAX_MATRIX_PLACES) {
            throw ApiException.invalid(sources.size() > MAX_MATRIX_PLACES ? "sources" : "targets",
                    "error.routing.matrixSize", MAX_MATRIX_PLACES);
        }
        return Db.async(() -> {
            RoadNetwork network = routing.require();
            List<Place> all = new ArrayList<>(sources);
            if (targets != sources) {
                all.addAll(targets);
            }
            placeScope.check(user.scope(), all);
            TravelMatrix m = network.matrix(mode, sources, targets);
            Double[][] distances = new Double[sources.size()][targets.size()];
            Double[][] times = new Double[sources.size()][targets.size()];
            for (int i = 0; i < sources.size(); i++) {
                for (int j = 0; j < targets.size(); j++) {
                    if (m.reachable(i, j)) {
                        distances[i][j] = m.distanceMeters()[i][j];
                        times[i][j] = m.timeMillis()[i][j] / 1000.0;
                    }
                }
            }
            return new MatrixAnswer(mode.profileName(), m.sourceIds(), m.targetIds(), distances, times,
                    SnappingFailed.failures(m.unsnapped()));
        });
    }

    /**
     * The area reachable from a point within each of the given minutes, as a GeoJSON FeatureCollection
     * (largest first, so that smaller areas draw on top).
     */
    @GetMapping(value = "/api/routing/isochrone", produces = {"application/geo+json", "application/json"})
    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<Object>> isochrone(@RequestParam double lat, @RequestParam double lon,
                                           @RequestParam(defaultValue = "5,10,15") String minutes,
                                           @RequestParam(defaultValue = "foot") String profile,
                                           @AuthenticationPrincipal CaregridUser user) {
        TravelMode mode = mode(profile);
        List<Integer> limits;
        try {
            limits = Arrays.stream(minutes.split(",")).map(String::trim).map(Integer::parseInt)
                    .sorted((a, b) -> b - a).toList();
        } catch (NumberFormatException e) {
            throw ApiException.invalid("minutes", "error.routing.minutes");
        }
        if (limits.isEmpty() || limits.size() > 6 || limits.stream().anyMatch(m -> m < 1 || m > 120)) {
            throw ApiException.invalid("minutes", "error.routing.minutes");
        }
        Place centre = point("centre", lat, lon);
        return Db.async(() -> {
            RoadNetwork network = routing.require();
            placeScope.check(user.scope(), List.of(centre));
            List<String> features = new ArrayList<>();
            for (int limit : limits) {
                IsochroneResult result = network.isochrone(mode, centre, Duration.ofMinutes(limit));
                if (!result.unsnapped().isEmpty()) {
                    return unprocessable(SnappingFailed.of("The centre is not near a road usable on " + profile,
                            result.unsnapped()));
                }
                String feature = result.toGeoJsonFeature();
                if (feature != null) {
                    features.add(feature);
                }
            }
            return ResponseEntity.ok()
                    .header("Content-Type", "application/geo+json")
                    .body((Object) ("{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}"));
        });
    }

    record FacilityOut(long id, String kind, String name, String address, double lat, double lon) {
    }

    record NearestAnswer(String profile, FacilityOut facility, double distanceMeters, double durationSeconds) {
    }

    /**
     * The facility of the given kinds (default: the health facilities) nearest to a point by network
     * travel, among those in the caller's area.
     */
    @GetMapping("/api/routing/nearest")
    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<Object>> nearest(@RequestParam double lat, @RequestParam double lon,
                                         @RequestParam(required = false) String type,
                                         @RequestParam(defaultValue = "foot") String profile,
                                         @AuthenticationPrincipal CaregridUser user) {
        TravelMode mode = mode(profile);
        String[] kinds = type == null || type.isBlank() ? NearestFacilityRefresher.HEALTH_KINDS
                : Arrays.stream(type.split(",")).map(String::trim).toArray(String[]::new);
        Place from = point("point", lat, lon);
        return Db.async(() -> {
            RoadNetwork network = routing.require();
            placeScope.check(user.scope(), List.of(from));
            SqlPredicate scope = user.scope().rows("f.area_code", null);
            Map<String, FacilityOut> facilities = jdbc.sql(HEALTH_FACILITIES.formatted(scope.sql()))
                    .params(scope.params()).param("kinds", kinds)
                    .query((rs, n) -> new FacilityOut(rs.getLong("id"), rs.getString("kind"), rs.getString("name"),
                            rs.getString("address"), rs.getDouble("lat"), rs.getDouble("lon")))
                    .list().stream().collect(Collectors.toMap(f -> Long.toString(f.id()), f -> f, (a, b) -> a,
                            java.util.LinkedHashMap::new));
            if (facilities.isEmpty()) {
                throw ApiException.notFound("error.routing.noFacility", String.join(", ", kinds));
            }
            NearestFacilities result = network.nearestFacilities(mode,
                    facilities.values().stream().map(f -> new Place(Long.toString(f.id()), f.lat(), f.lon())).toList(),
                    List.of(from), NearestFacilities.Direction.PERSON_TO_FACILITY);
            if (!result.unsnappedPeople().isEmpty()) {
                return unprocessable(SnappingFailed.of("The point is not near a road usable on " + profile,
                        result.unsnappedPeople()));
            }
            NearestFacilities.Nearest nearest = result.results().get(0);
            if (nearest.facilityId().isEmpty()) {
                throw ApiException.notFound("error.routing.unreachable", profile);
            }
            return ResponseEntity.ok(new NearestAnswer(mode.profileName(), facilities.get(nearest.facilityId().get()),
                    nearest.distanceMeters(), nearest.timeMillis() / 1000.0));
        });
    }

    private static ResponseEntity<Object> unprocessable(SnappingFailed body) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(body);
    }

    static TravelMode mode(String profile) {
        try {
            return TravelMode.valueOf(profile.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("profile", "error.routing.profile", profile);
        }
    }

    static Place point(String id, double lat, double lon) {
        try {
            return new Place(id, lat, lon);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(id, "error.text", e.getMessage());
        }
    }

    static Place place(String id, String latLon) {
        String[] parts = latLon.split(",");
        try {
            if (parts.length == 2) {
                double lat = Double.parseDouble(parts[0].trim());
                double lon = Double.parseDouble(parts[1].trim());
                return new Place(id, lat, lon);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.invalid(id, "error.routing.latLon", latLon);
    }

    private static List<Place> places(String prefix, List<PlaceIn> in) {
        List<Place> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            PlaceIn p = in.get(i);
            try {
                out.add(new Place(p.id() == null ? prefix + i : p.id(), p.lat(), p.lon()));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(prefix.equals("s") ? "sources[" + i + "]" : "targets[" + i + "]",
                        "error.text", e.getMessage());
            }
        }
        return out;
    }

}
