package org.caregrid.server.emergency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.Route;
import org.caregrid.routing.RouteResult;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.Unsnapped;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The emergency transfer (急诊转运): the hospital that can take a person and is quickest to reach by car.
 * The person must be in the caller's scope; the hospitals need not be (the nearest one is often in the next
 * district), so the hospital search carries no scope predicate (facilities hold no personal data).
 * Suitability: every hospital must take emergencies; pregnant and postpartum women need obstetrics, children
 * paediatrics. The {@value #CANDIDATES} nearest suitable hospitals by straight line are routed by car and the
 * shortest time wins: a road network rarely reverses the order of more than a few of them.
 */
@Component
class EmergencyTransfers {

    static final int CANDIDATES = 8;
    static final String EMERGENCY = "emergency";
    static final String OBSTETRICS = "obstetrics";
    static final String PAEDIATRICS = "paediatrics";

    private static final String PERSON_HOME = """
            SELECT p.id, ST_Y(coalesce(p.location, u.entrance, b.entrance)) AS lat,
                   ST_X(coalesce(p.location, u.entrance, b.entrance)) AS lon,
                   coalesce(k.categories, '{}') AS categories
              FROM person p
              LEFT JOIN building b ON b.id = p.building_id
              LEFT JOIN unit u ON u.id = p.unit_id
              LEFT JOIN key_person k ON k.person_id = p.id
             WHERE p.id = :id AND %s
            """;

    /** Not scoped on purpose (see the class comment); KNN on the location index. */
    private static final String NEAREST_SUITABLE_HOSPITALS = """
            SELECT f.id, f.name, f.address, f.phone, f.specialities, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f
             WHERE f.kind = 'hospital' AND f.emergency AND f.specialities @> CAST(:specialities AS text[])
             ORDER BY f.location <-> ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326), f.id
             LIMIT :k
            """;

    record Hospital(long id, String name, String address, String phone, List<String> specialities, double lat,
                    double lon) {
    }

    /** A GeoJSON LineString. */
    record LineGeometry(String type, List<double[]> coordinates) {
    }

    /**
     * @param needs what the hospital had to offer (emergency, and obstetrics / paediatrics where the person needs it)
     * @param candidates how many suitable hospitals were routed to
     */
    record Transfer(long personId, List<String> needs, Hospital hospital, double distanceMeters, double durationSeconds,
                    LineGeometry route, int candidates) {
    }

    private record Home(long personId, Double lat, Double lon, List<String> categories) {
    }

    private final JdbcClient jdbc;
    private final PersonAccess access;
    private final RoutingService routing;
    private final AuditLog auditLog;

    EmergencyTransfers(JdbcClient jdbc, PersonAccess access, RoutingService routing, AuditLog auditLog) {
        this.jdbc = jdbc;
        this.access = access;
        this.routing = routing;
        this.auditLog = auditLog;
    }

    /** Blocking. 404 for a person outside the caller's scope or when no hospital suits; 503 without a network. */
    Transfer nearestHospital(long personId, CaregridUser user) {
        Home home = home(personId, user).orElseThrow(() -> ApiException.notFound("error.person.notFound", personId));
        // the person's categories and home were shown to the caller: audited like the card
        auditLog.personAction(user, "emergency_transfer", "GET /api/emergency/hospital?personId=" + personId, personId,
                Purpose.VISIT);
        if (home.lat() == null || home.lon() == null) {
            throw ApiException.conflict("error.emergency.noHome", personId);
        }
        RoadNetwork network = routing.require();
        List<String> needs = needs(home.categories());
        List<Hospital> hospitals = jdbc.sql(NEAREST_SUITABLE_HOSPITALS)
                .param("specialities", needs.stream().filter(n -> !n.equals(EMERGENCY)).toArray(String[]::new))
                .param("lat", home.lat()).param("lon", home.lon()).param("k", CANDIDATES)
                .query((rs, n) -> new Hospital(rs.getLong("id"), rs.getString("name"), rs.getString("address"),
                        rs.getString("phone"), List.of((String[]) rs.getArray("specialities").getArray()),
                        rs.getDouble("lat"), rs.getDouble("lon")))
                .list();
        if (hospitals.isEmpty()) {
            throw ApiException.notFound("error.emergency.noHospital", String.join(", ", needs));
        }
        Place from = new Place("home", home.lat(), home.lon());
        Hospital best = null;
        Route bestRoute = null;
        for (Hospital hospital : hospitals) {
            RouteResult result = network.route(TravelMode.CAR,
                    List.of(from, new Place(Long.toString(hospital.id()), hospital.lat(), hospital.lon())), Locale.SIMPLIFIED_CHINESE);
            Optional<Unsnapped> homeOffRoad = result.unsnapped().stream().filter(u -> u.place().id().equals("home")).findFirst();
            if (homeOffRoad.isPresent()) {
                double metres = homeOffRoad.get().distanceMeters();
                throw ApiException.unprocessable("error.emergency.homeOffRoad", personId,
                        Double.isNaN(metres) ? "?" : Long.toString(Math.round(metres)));
            }
            Optional<Route> route = result.route();
            // ties go to the nearer hospital by straight line (the list's order)
            if (route.isPresent() && (bestRoute == null || route.get().timeMillis() < bestRoute.timeMillis())) {
                best = hospital;
                bestRoute = route.get();
            }
        }
        if (bestRoute == null) {
            throw ApiException.conflict("error.emergency.unreachable", hospitals.size());
        }
        return new Transfer(personId, needs, best, bestRoute.distanceMeters(), bestRoute.timeMillis() / 1000.0,
                new LineGeometry("LineString", RoutingService.coordinates(bestRoute.geometry())), hospitals.size());
    }

    /** What a hospital must offer for a person of these key-person categories. */
    static List<String> needs(List<String> categories) {
        Set<String> needs = new LinkedHashSet<>();
        needs.add(EMERGENCY);
        for (String category : categories) {
            if (category.equals("pregnant_postpartum")) {
                needs.add(OBSTETRICS);
            } else if (category.startsWith("child_")) {
                needs.add(PAEDIATRICS);
            }
        }
        return new ArrayList<>(needs);
    }

    private Optional<Home> home(long personId, CaregridUser user) {
        SqlPredicate visible = access.predicate(user, "p");
        return jdbc.sql(PERSON_HOME.formatted(visible.sql())).param("id", personId).params(visible.params())
                .query((rs, n) -> new Home(rs.getLong("id"), (Double) rs.getObject("lat"), (Double) rs.getObject("lon"),
                        Arrays.asList((String[]) rs.getArray("categories").getArray())))
                .optional();
    }
}
