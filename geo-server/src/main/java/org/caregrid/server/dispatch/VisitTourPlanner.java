package org.caregrid.server.dispatch;

import org.caregrid.server.web.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.Route;
import org.caregrid.routing.TravelMatrix;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.Unsnapped;
import org.caregrid.routing.optimize.PlannedStop;
import org.caregrid.routing.optimize.RouteOptimizer;
import org.caregrid.routing.optimize.SolverLimits;
import org.caregrid.routing.optimize.StopKind;
import org.caregrid.routing.optimize.TimeWindow;
import org.caregrid.routing.optimize.TravelCosts;
import org.caregrid.routing.optimize.UnservedRequest;
import org.caregrid.routing.optimize.VisitStop;
import org.caregrid.routing.optimize.VisitTour;
import org.caregrid.routing.optimize.VisitTourProblem;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.coverage.CoverageQueries;
import org.caregrid.server.coverage.Metric;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A grid worker's visit tour for one day: the key persons of their grid whose visit is due or
 * overdue (the same rule as the visits metric), ordered by OR-Tools into one walk from and back to
 * the community office. Blocking: call on a JDBC thread.
 */
@Service
public class VisitTourPlanner {

    static final long WORKDAY_START = 8 * 3600L + 1800;
    static final long WORKDAY_END = 17 * 3600L + 1800;
    static final long VISIT_SECONDS = 20 * 60;

    private static final String OFFICE = """
            SELECT f.id, f.name, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f WHERE f.kind = 'community_office' AND f.area_code = :community
             ORDER BY f.id LIMIT 1
            """;

    /** Due today (0 days) or overdue (more) by the visits metric's own rule. */
    private static final String DUE = """
            SELECT i.item_id AS person_id, i.value AS overdue_days, p.name, %s AS address,
                   ST_Y(%s) AS lat, ST_X(%s) AS lon
              FROM (%s) i
              JOIN person p ON p.id = i.item_id
              LEFT JOIN unit pu ON pu.id = p.unit_id
              LEFT JOIN building pb ON pb.id = p.building_id
             WHERE i.grid_id = :grid AND i.value >= 0
             ORDER BY i.value DESC, i.item_id
            """.formatted(DispatchController.ADDRESS, DispatchController.HOME, DispatchController.HOME,
            Metric.VISITS.itemsSql());

    record TourRequest(String date, Integer timeLimitSeconds) {
    }

    record Office(long id, String name, double lat, double lon) {
    }

    record Stop(int order, long personId, String name, String address, double lat, double lon, Instant arrival,
                int overdueDays) {
    }

    record Unvisited(long personId, String name, String address, String reason) {
    }

    record Tour(LocalDate date, Office office, double distanceMeters, double durationSeconds, List<double[]> coordinates,
                List<Stop> stops, List<Unvisited> unvisited) {
    }

    private record Due(long personId, int overdueDays, String name, String address, Double lat, Double lon) {
    }

    private final RoutingService routing;
    private final JdbcClient jdbc;
    private final CoverageQueries coverageQueries;
    private final ZoneId zone;
    private final RouteOptimizer optimizer;

    VisitTourPlanner(RoutingService routing, JdbcClient jdbc, CoverageProperties coverage,
                     CoverageQueries coverageQueries, RouteOptimizer optimizer) {
        this.optimizer = optimizer;
        this.routing = routing;
        this.jdbc = jdbc;
        this.coverageQueries = coverageQueries;
        this.zone = ZoneId.of(coverage.timeZone());
    }

    public Tour plan(TourRequest request, CaregridUser user) {
        if (!(user.scope() instanceof AreaScope.Grid grid)) {
            throw ApiException.forbidden("error.tour.grid");
        }
        LocalDate day;
        try {
            day = request == null || request.date() == null ? LocalDate.now(zone) : LocalDate.parse(request.date());
        } catch (RuntimeException e) {
            throw ApiException.invalid("date", "error.date", request.date());
        }
        int timeLimit = request == null || request.timeLimitSeconds() == null ? 3 : request.timeLimitSeconds();
        if (timeLimit < 1 || timeLimit > DispatchPlanner.MAX_TIME_LIMIT_SECONDS) {
            throw ApiException.invalid("timeLimitSeconds", "error.range", 1, DispatchPlanner.MAX_TIME_LIMIT_SECONDS, timeLimit);
        }
        RoadNetwork network = routing.require();
        Office office = jdbc.sql(OFFICE).param("community", grid.communityCode())
                .query((rs, n) -> new Office(rs.getLong("id"), rs.getString("name"), rs.getDouble("lat"), rs.getDouble("lon")))
                .optional().orElseThrow(() -> ApiException.notFound("error.tour.office", grid.communityCode()));
        List<Due> due = jdbc.sql(DUE).params(coverageQueries.parameters(day)).param("grid", grid.gridId())
                .query((rs, n) -> new Due(rs.getLong("person_id"), (int) rs.getDouble("overdue_days"), rs.getString("name"),
                        rs.getString("address"), (Double) rs.getObject("lat"), (Double) rs.getObject("lon")))
                .list();

        List<Unvisited> unvisited = new ArrayList<>();
        List<Due> placed = new ArrayList<>();
        List<Place> places = new ArrayList<>(List.of(new Place("office", office.lat(), office.lon())));
        for (Due d : due) {
            if (d.lat() == null) {
                unvisited.add(new Unvisited(d.personId(), d.name(), d.address(), "no home location on record"));
            } else {
                placed.add(d);
                places.add(new Place(Long.toString(d.personId()), d.lat(), d.lon()));
            }
        }
        TravelMatrix matrix = network.matrix(TravelMode.FOOT, places, places);
        Map<String, Unsnapped> unsnapped = new HashMap<>();
        matrix.unsnapped().forEach(u -> unsnapped.put(u.id(), u));
        if (unsnapped.containsKey("office")) {
            throw ApiException.unprocessable("error.tour.officeRoad", office.name());
        }
        List<VisitStop> visits = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            visits.add(new VisitStop(Long.toString(placed.get(i).personId()), i + 1,
                    new TimeWindow(WORKDAY_START, WORKDAY_END), VISIT_SECONDS, placed.get(i).overdueDays() > 0));
        }
        VisitTour tour = optimizer.planVisitTour(new VisitTourProblem(Long.toString(user.personId() == null ? 0 : user.personId()),
                0, new TimeWindow(WORKDAY_START, WORKDAY_END), visits, TravelCosts.fromMatrix(matrix)),
                SolverLimits.seconds(timeLimit));

        Map<String, Due> byId = new HashMap<>();
        placed.forEach(d -> byId.put(Long.toString(d.personId()), d));
        for (UnservedRequest u : tour.unvisited()) {
            Due d = byId.get(u.requestId());
            Unsnapped home = unsnapped.get(u.requestId());
            unvisited.add(new Unvisited(d.personId(), d.name(), d.address(), home != null
                    ? DispatchPlanner.notNearARoad(home) : u.reason().name().toLowerCase(Locale.ROOT) + ": " + u.detail()));
        }
        Instant origin = day.atStartOfDay(zone).toInstant();
        List<Stop> stops = new ArrayList<>();
        List<Place> through = new ArrayList<>();
        for (PlannedStop s : tour.route().stops()) {
            through.add(places.get(s.location()));
            if (s.kind() == StopKind.VISIT) {
                Due d = byId.get(s.requestId());
                stops.add(new Stop(stops.size() + 1, d.personId(), d.name(), d.address(), d.lat(), d.lon(),
                        origin.plusSeconds(s.arrival()), d.overdueDays()));
            }
        }
        Route road = stops.isEmpty() ? null
                : network.route(TravelMode.FOOT, through, Locale.SIMPLIFIED_CHINESE).route().orElse(null);
        return new Tour(day, office, road == null ? 0 : road.distanceMeters(),
                stops.isEmpty() ? 0 : tour.route().durationSeconds(),
                road == null ? List.of() : RoutingService.coordinates(road.geometry()),
                stops, unvisited);
    }
}
