package org.caregrid.server.dispatch;

import org.caregrid.server.web.ApiException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.caregrid.routing.Place;
import org.caregrid.routing.RoadNetwork;
import org.caregrid.routing.Route;
import org.caregrid.routing.TravelMatrix;
import org.caregrid.routing.TravelMode;
import org.caregrid.routing.Unsnapped;
import org.caregrid.routing.optimize.DeliveryPlan;
import org.caregrid.routing.optimize.DeliveryProblem;
import org.caregrid.routing.optimize.DeliveryRequest;
import org.caregrid.routing.optimize.OrToolsRouteOptimizer;
import org.caregrid.routing.optimize.Pharmacy;
import org.caregrid.routing.optimize.PlannedStop;
import org.caregrid.routing.optimize.RouteOptimizer;
import org.caregrid.routing.optimize.SolverLimits;
import org.caregrid.routing.optimize.StopKind;
import org.caregrid.routing.optimize.TimeWindow;
import org.caregrid.routing.optimize.TravelCosts;
import org.caregrid.routing.optimize.UnservedRequest;
import org.caregrid.routing.optimize.Volunteer;
import org.caregrid.routing.optimize.VolunteerRoute;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.service.ServiceRecords;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans medicine deliveries: loads the requests and volunteers of the dispatcher's area, builds one
 * travel matrix per profile over all places on the road network, lets the route optimiser (hybrid genetic
 * search, or OR-Tools by configuration) assign and order them, requests moved by hand pinned to their
 * volunteer, and stores the plan with each route's road geometry. Blocking: call on a JDBC thread.
 */
@Service
public class DispatchPlanner {

    /** Volunteers work 08:00–20:00 of the planning day (local time) unless a request says otherwise. */
    static final long SHIFT_START = 8 * 3600L;
    static final long SHIFT_END = 20 * 3600L;
    static final long DELIVERY_SECONDS = 300;
    static final long PICKUP_SECONDS = 180;
    static final int MAX_TIME_LIMIT_SECONDS = 120;

    private static final String REQUESTS = """
            SELECT r.id, r.key_person_id, r.demand, r.urgency, r.window_start, r.window_end, r.facility_id,
                   ST_Y(h.home) AS lat, ST_X(h.home) AS lon
              FROM delivery_request r
              JOIN person p ON p.id = r.key_person_id
              LEFT JOIN unit pu ON pu.id = p.unit_id
              LEFT JOIN building pb ON pb.id = p.building_id
             CROSS JOIN LATERAL (SELECT coalesce(p.location, pu.entrance, pb.entrance) AS home) h
             WHERE (r.status = 'pending' OR r.id = ANY (CAST(:replaced AS bigint[])))
               AND (CAST(:ids AS bigint[]) IS NULL OR r.id = ANY (CAST(:ids AS bigint[])))
               -- closing a person cancels their requests; a request of a closed person is never planned
               AND p.closed_on IS NULL AND %s
             ORDER BY r.id
            """;

    private static final String VOLUNTEERS = """
            SELECT v.person_id, v.travel_mode, v.capacity, coalesce(v.max_stops, 0) AS max_stops,
                   ST_Y(v.home) AS lat, ST_X(v.home) AS lon
              FROM volunteer v JOIN person vp ON vp.id = v.person_id
             WHERE v.person_id = ANY (CAST(:ids AS bigint[])) AND vp.closed_on IS NULL AND %s
             ORDER BY v.person_id
            """;

    /** Pickup points: the health facilities of the area, and any tied to a request wherever they are. */
    private static final String PHARMACIES = """
            SELECT f.id, ST_Y(f.location) AS lat, ST_X(f.location) AS lon
              FROM facility f
             WHERE f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
               AND (%s OR f.id = ANY (CAST(:tied AS bigint[])))
             ORDER BY f.id
            """;

    /**
     * @param replacesPlanId a draft plan this one replaces: its requests may be planned again, and it is cancelled
     * @param assignments    request id → volunteer person id, moved there by hand: only that volunteer may take it
     */
    record PlanRequest(List<Long> requestIds, Boolean allPending, List<Long> volunteerIds, Integer timeLimitSeconds,
                       String date, Long replacesPlanId, Map<Long, Long> assignments) {
    }

    /** The requests a plan served or left out. */
    private static final String PLAN_REQUESTS = """
            SELECT s.delivery_request_id FROM route_stop s JOIN route ro ON ro.id = s.route_id
             WHERE ro.plan_id = :plan AND s.delivery_request_id IS NOT NULL
            UNION
            SELECT delivery_request_id FROM route_plan_unassigned WHERE plan_id = :plan
            """;

    /** The requests of a published plan that may be planned again: on a stop still to do, not started. */
    private static final String NOT_STARTED = """
            SELECT s.delivery_request_id FROM route_stop s JOIN route ro ON ro.id = s.route_id
              JOIN delivery_request r ON r.id = s.delivery_request_id
             WHERE ro.plan_id = :plan AND s.kind = 'delivery' AND s.withdrawn_at IS NULL AND r.status = 'assigned'
               AND NOT EXISTS (SELECT 1 FROM stop_outcome o WHERE o.stop_id = s.id)
            """;

    record Outcome(long planId, int routes, int planned, int unassigned, int version) {
    }

    private record Req(long id, long personId, int demand, boolean urgent, Timestamp windowStart, Timestamp windowEnd,
                       Long facilityId, double lat, double lon) {
    }

    private record Vol(long personId, TravelMode mode, int capacity, int maxStops, double lat, double lon) {
    }

    private final RoutingService routing;
    private final PlanReader reader;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ZoneId zone;
    private final RouteOptimizer optimizer;
    private final ServiceRecords serviceRecords;

    DispatchPlanner(RoutingService routing, PlanReader reader, JdbcClient jdbc, TransactionTemplate transactions,
                    CoverageProperties coverage, RouteOptimizer optimizer, ServiceRecords serviceRecords) {
        this.optimizer = optimizer;
        this.serviceRecords = serviceRecords;
        this.routing = routing;
        this.reader = reader;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.zone = ZoneId.of(coverage.timeZone());
    }

    public Outcome plan(PlanRequest request, CaregridUser user) {
        boolean all = Boolean.TRUE.equals(request.allPending());
        if (!all && (request.requestIds() == null || request.requestIds().isEmpty())) {
            throw ApiException.invalid("requestIds", "error.dispatch.requests");
        }
        if (request.volunteerIds() == null || request.volunteerIds().isEmpty()) {
            throw ApiException.invalid("volunteerIds", "error.dispatch.volunteers");
        }
        int timeLimit = request.timeLimitSeconds() == null ? 5 : request.timeLimitSeconds();
        if (timeLimit < 1 || timeLimit > MAX_TIME_LIMIT_SECONDS) {
            throw ApiException.invalid("timeLimitSeconds", "error.range", 1, MAX_TIME_LIMIT_SECONDS, timeLimit);
        }
        LocalDate day;
        try {
            day = request.date() == null ? LocalDate.now(zone) : LocalDate.parse(request.date());
        } catch (RuntimeException e) {
            throw ApiException.invalid("date", "error.date", request.date());
        }
        RoadNetwork network = routing.require();
        Instant origin = day.atStartOfDay(zone).toInstant();
        Long[] replaced = new Long[0];
        if (request.replacesPlanId() != null) {
            reader.geoJson(request.replacesPlanId()); // 404 outside the dispatcher's area
            String status = jdbc.sql("SELECT status FROM route_plan WHERE id = :id").param("id", request.replacesPlanId())
                    .query(String.class).single();
            if (!"draft".equals(status) && !"published".equals(status)) {
                throw ApiException.conflict("error.dispatch.notReplaceable", request.replacesPlanId(), status);
            }
            // a published plan gives up only the requests nobody has started: assigned, without an outcome
            replaced = jdbc.sql("draft".equals(status) ? PLAN_REQUESTS : NOT_STARTED).param("plan", request.replacesPlanId())
                    .query(Long.class).list().toArray(Long[]::new);
        }
        Map<Long, Long> assignments = request.assignments() == null ? Map.of() : request.assignments();

        SqlPredicate personScope = user.scope().rows("p.area_code", "p.grid_id");
        List<Req> requests = jdbc.sql(REQUESTS.formatted(personScope.sql())).params(personScope.params())
                .param("ids", all ? null : request.requestIds().toArray(Long[]::new)).param("replaced", replaced)
                .query((rs, n) -> new Req(rs.getLong("id"), rs.getLong("key_person_id"), rs.getInt("demand"),
                        "urgent".equals(rs.getString("urgency")), rs.getTimestamp("window_start"),
                        rs.getTimestamp("window_end"), (Long) rs.getObject("facility_id"), rs.getDouble("lat"),
                        rs.getDouble("lon")))
                .list();
        if (!all && requests.size() != new TreeSet<>(request.requestIds()).size()) {
            throw ApiException.notFound("error.dispatch.requestsNotFound");
        }
        if (requests.isEmpty()) {
            throw ApiException.invalid("requestIds", "error.dispatch.noPending");
        }
        SqlPredicate volunteerScope = user.scope().rows("vp.area_code", "vp.grid_id");
        List<Vol> volunteers = jdbc.sql(VOLUNTEERS.formatted(volunteerScope.sql())).params(volunteerScope.params())
                .param("ids", request.volunteerIds().toArray(Long[]::new))
                .query((rs, n) -> new Vol(rs.getLong("person_id"),
                        TravelMode.valueOf(rs.getString("travel_mode").toUpperCase(Locale.ROOT)), rs.getInt("capacity"),
                        rs.getInt("max_stops"), rs.getDouble("lat"), rs.getDouble("lon")))
                .list();
        if (volunteers.size() != new TreeSet<>(request.volunteerIds()).size()) {
            throw ApiException.notFound("error.dispatch.volunteersNotFound");
        }
        Set<Long> requestIds = new TreeSet<>(requests.stream().map(Req::id).toList());
        for (Map.Entry<Long, Long> a : assignments.entrySet()) {
            if (!requestIds.contains(a.getKey()) || !request.volunteerIds().contains(a.getValue())) {
                throw ApiException.invalid("assignments", "error.dispatch.assignment", a.getKey(), a.getValue());
            }
        }
        SqlPredicate facilityScope = user.scope().rows("f.area_code", null);
        Long[] tied = requests.stream().map(Req::facilityId).filter(f -> f != null).toArray(Long[]::new);
        List<Place> pharmacyPlaces = jdbc.sql(PHARMACIES.formatted(facilityScope.sql())).params(facilityScope.params())
                .param("tied", tied)
                .query((rs, n) -> new Place("f" + rs.getLong("id"), rs.getDouble("lat"), rs.getDouble("lon"))).list();

        // one place list shared by every profile: volunteers' homes, pharmacies, households
        List<Place> places = new ArrayList<>();
        volunteers.forEach(v -> places.add(new Place("v" + v.personId(), v.lat(), v.lon())));
        int pharmacyBase = places.size();
        places.addAll(pharmacyPlaces);
        int requestBase = places.size();
        requests.forEach(r -> places.add(new Place("r" + r.id(), r.lat(), r.lon())));

        Set<TravelMode> modes = EnumSet.noneOf(TravelMode.class);
        volunteers.forEach(v -> modes.add(v.mode()));
        Map<String, TravelCosts> costs = new HashMap<>();
        Map<String, Unsnapped> unsnapped = new HashMap<>();
        for (TravelMode mode : modes) {
            TravelMatrix matrix = network.matrix(mode, places, places);
            costs.put(mode.profileName(), TravelCosts.fromMatrix(matrix));
            matrix.unsnapped().forEach(u -> unsnapped.putIfAbsent(u.id(), u));
        }
        List<Volunteer> vols = new ArrayList<>();
        for (int i = 0; i < volunteers.size(); i++) {
            Vol v = volunteers.get(i);
            vols.add(new Volunteer(Long.toString(v.personId()), i, i, v.capacity(),
                    new TimeWindow(SHIFT_START, SHIFT_END),
                    v.mode().profileName(), v.maxStops()));
        }
        List<Pharmacy> pharmacies = new ArrayList<>();
        for (int i = 0; i < pharmacyPlaces.size(); i++) {
            pharmacies.add(new Pharmacy(pharmacyPlaces.get(i).id(), pharmacyBase + i, new TimeWindow(SHIFT_START, SHIFT_END),
                    PICKUP_SECONDS));
        }
        List<DeliveryRequest> reqs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Req r = requests.get(i);
            // A request moved to one volunteer by hand is pinned to them: a constraint of the problem.
            Optional<String> pinned = Optional.ofNullable(assignments.get(r.id())).map(p -> Long.toString(p));
            reqs.add(new DeliveryRequest(Long.toString(r.id()), requestBase + i, r.demand(), window(r, origin),
                    DELIVERY_SECONDS, r.urgent(), Optional.ofNullable(r.facilityId()).map(f -> "f" + f), pinned));
        }
        DeliveryPlan plan = optimizer.planDeliveries(new DeliveryProblem(reqs, pharmacies, vols, costs),
                SolverLimits.seconds(timeLimit).withThreads(Runtime.getRuntime().availableProcessors()));
        return store(plan, request, user, network, places, volunteers, requests, unsnapped, origin, day, timeLimit, replaced);
    }

    /** The request's window in seconds of the planning day; an open end is the whole shift. */
    private static TimeWindow window(Req r, Instant origin) {
        long start = r.windowStart() == null ? SHIFT_START
                : Math.max(0, r.windowStart().toInstant().getEpochSecond() - origin.getEpochSecond());
        long end = r.windowEnd() == null ? SHIFT_END
                : Math.max(start, r.windowEnd().toInstant().getEpochSecond() - origin.getEpochSecond());
        return new TimeWindow(start, end);
    }

    private Outcome store(DeliveryPlan plan, PlanRequest request, CaregridUser user, RoadNetwork network,
                          List<Place> places, List<Vol> volunteers, List<Req> requests, Map<String, Unsnapped> unsnapped,
                          Instant origin, LocalDate day, int timeLimit, Long[] replaced) {
        Map<String, Vol> volunteerById = new LinkedHashMap<>();
        volunteers.forEach(v -> volunteerById.put(Long.toString(v.personId()), v));
        Map<String, Req> requestById = new HashMap<>();
        requests.forEach(r -> requestById.put(Long.toString(r.id()), r));

        // road geometry through the stops, computed before the transaction (it takes the longest)
        List<RouteRow> routeRows = new ArrayList<>();
        for (VolunteerRoute vr : plan.routes()) {
            if (vr.deliveries() == 0) {
                continue;
            }
            Vol v = volunteerById.get(vr.volunteerId());
            List<Place> through = new ArrayList<>();
            for (PlannedStop s : vr.stops()) {
                Place p = places.get(s.location());
                if (through.isEmpty() || !samePoint(through.get(through.size() - 1), p)) {
                    through.add(new Place("s" + through.size(), p.lat(), p.lon()));
                }
            }
            Optional<Route> road = through.size() >= 2
                    ? network.route(v.mode(), through, Locale.SIMPLIFIED_CHINESE).route() : Optional.empty();
            routeRows.add(new RouteRow(vr, v, road));
        }
        String parameters = "{\"requestIds\":" + requests.stream().map(r -> Long.toString(r.id())).toList()
                + ",\"volunteerIds\":" + volunteers.stream().map(v -> Long.toString(v.personId())).toList()
                + ",\"timeLimitSeconds\":" + timeLimit + ",\"date\":\"" + day + "\""
                + (request.replacesPlanId() == null ? "" : ",\"replacesPlanId\":" + request.replacesPlanId())
                + ",\"assignments\":{" + (request.assignments() == null ? "" : request.assignments().entrySet().stream()
                        .map(a -> "\"" + a.getKey() + "\":" + a.getValue()).collect(java.util.stream.Collectors.joining(",")))
                + "}}";
        // requests that are on a published route already (the plan this one replaces)
        Set<Long> stayOnTheirRoutes = new java.util.HashSet<>(jdbc.sql(
                        "SELECT id FROM delivery_request WHERE id = ANY (:ids) AND status = 'assigned'")
                .param("ids", requests.stream().map(Req::id).toArray(Long[]::new)).query(Long.class).list());
        return transactions.execute(tx -> {
            if (request.replacesPlanId() != null) {
                // a volunteer's outcome locks its route first too: a re-plan and a delivery take turns
                jdbc.sql("SELECT id FROM route WHERE plan_id = :old ORDER BY id FOR UPDATE")
                        .param("old", request.replacesPlanId()).query(Long.class).list();
            }
            claim(plan, replaced);
            Set<Long> placed = new java.util.HashSet<>();
            double totalDistance = routeRows.stream().mapToDouble(r -> r.road().map(Route::distanceMeters).orElse(0.0)).sum();
            double totalDuration = routeRows.stream().mapToDouble(r -> r.route().durationSeconds()).sum();
            long planId = jdbc.sql("""
                    INSERT INTO route_plan (kind, solver, parameters, total_distance_m, total_duration_s, created_by,
                                            service_date)
                    VALUES ('delivery', :solver, CAST(:p AS jsonb), :d, :t, :u, :day) RETURNING id""")
                    .param("day", day)
                    .param("solver", optimizer instanceof OrToolsRouteOptimizer ? "or-tools" : "hgs")
                    .param("p", parameters).param("d", totalDistance).param("t", totalDuration)
                    .param("u", user.getUsername()).query(Long.class).single();
            int planned = 0;
            for (RouteRow row : routeRows) {
                long routeId = jdbc.sql("""
                        INSERT INTO route (plan_id, assignee_person_id, profile, geom, distance_m, duration_s)
                        VALUES (:plan, :person, :profile, ST_GeomFromText(:wkt, 4326), :d, :t) RETURNING id""")
                        .param("plan", planId).param("person", row.volunteer().personId())
                        .param("profile", row.volunteer().mode().profileName())
                        .param("wkt", row.road().map(r -> r.geometry().toText()).orElse(null))
                        .param("d", row.road().map(Route::distanceMeters).orElse(0.0))
                        .param("t", (double) row.route().durationSeconds()).query(Long.class).single();
                int seq = 0;
                for (PlannedStop s : row.route().stops()) {
                    Place p = places.get(s.location());
                    Req r = s.requestId() == null ? null : requestById.get(s.requestId());
                    Long facility = s.pharmacyId() == null ? null : Long.parseLong(s.pharmacyId().substring(1));
                    Long person = switch (s.kind()) {
                        case START, END -> row.volunteer().personId();
                        case DELIVERY, VISIT -> r.personId();
                        case PICKUP -> null;
                    };
                    jdbc.sql("""
                            INSERT INTO route_stop (route_id, seq, kind, delivery_request_id, facility_id, person_id,
                                                    location, arrival, building_id)
                            VALUES (:route, :seq, :kind, :req, :facility, :person,
                                    ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :arrival,
                                    CASE WHEN :kind IN ('delivery', 'visit')
                                         THEN (SELECT building_id FROM person WHERE id = :person) END)""")
                            .param("route", routeId).param("seq", seq++)
                            .param("kind", s.kind().name().toLowerCase(Locale.ROOT))
                            .param("req", r == null ? null : r.id()).param("facility", facility).param("person", person)
                            .param("lon", p.lon()).param("lat", p.lat())
                            .param("arrival", Timestamp.from(origin.plusSeconds(s.arrival())))
                            .update();
                    if (s.kind() == StopKind.DELIVERY) {
                        planned++;
                        placed.add(r.id());
                    }
                }
            }
            for (UnservedRequest u : plan.unserved()) {
                Req r = requestById.get(u.requestId());
                Unsnapped home = unsnapped.get("r" + u.requestId());
                String reason = u.reason().name().toLowerCase(Locale.ROOT) + ": "
                        + (home != null ? notNearARoad(home) : u.detail());
                jdbc.sql("INSERT INTO route_plan_unassigned (plan_id, delivery_request_id, reason) VALUES (:p, :r, :why)")
                        .param("p", planId).param("r", r.id()).param("why", reason).update();
                if (stayOnTheirRoutes.contains(r.id())) {
                    // on a published route already: it stays there rather than be dropped by the new plan
                    continue;
                }
                // the solver only ran out of room: the request is pending again for the next plan (unless another
                // dispatcher's plan took it meanwhile: theirs it stays)
                jdbc.sql("UPDATE delivery_request SET status = :s WHERE id = :id AND " + CLAIMABLE).param("id", r.id())
                        .param("s", u.reason() == UnservedRequest.Reason.NOT_ASSIGNED_BY_SOLVER ? "pending" : "unservable")
                        .param("replaced", replaced).update();
            }
            if (request.replacesPlanId() != null) {
                replaced(request.replacesPlanId(), placed.toArray(Long[]::new));
            }
            return new Outcome(planId, routeRows.size(), planned, plan.unserved().size(), 1);
        });
    }

    private record RouteRow(VolunteerRoute route, Vol volunteer, Optional<Route> road) {
    }

    /** A request this plan may take: still pending, or on the plan it replaces (and not started there). */
    private static final String CLAIMABLE = "(status = 'pending' OR id = ANY (CAST(:replaced AS bigint[]))"
            + " AND status IN ('planned', 'assigned'))";

    /**
     * Takes every request the plan delivers, first thing in its transaction. Two dispatchers planning the same
     * pending request at once both solve, but only one can take it: the other's update waits for the first
     * transaction, then sees the request planned and takes nothing, and that whole plan is refused with 409
     * (nothing of it is stored; planning again leaves the taken request out). A request delivered or cancelled
     * while the solver ran is refused the same way. In id order, so that two plans never wait for each other.
     */
    private void claim(DeliveryPlan plan, Long[] replaced) {
        List<Long> delivered = plan.routes().stream().flatMap(vr -> vr.stops().stream())
                .filter(s -> s.kind() == StopKind.DELIVERY).map(s -> Long.parseLong(s.requestId())).sorted().toList();
        for (long id : delivered) {
            int taken = jdbc.sql("UPDATE delivery_request SET status = 'planned' WHERE id = :id AND " + CLAIMABLE)
                    .param("id", id).param("replaced", replaced).update();
            if (taken == 0) {
                String now = jdbc.sql("SELECT status FROM delivery_request WHERE id = :id").param("id", id)
                        .query(String.class).optional().orElse("");
                throw ApiException.conflict(List.of("planned", "assigned").contains(now)
                        ? "error.dispatch.requestTaken" : "error.dispatch.requestStarted", id);
            }
        }
    }

    /**
     * The plan a new one replaces: a draft is cancelled; a published plan keeps what was started, and the
     * stops of the requests the new plan took are withdrawn from its routes. A route left with nothing to
     * do but with outcomes is finished (its service record written); a plan left with nothing at all is
     * cancelled.
     */
    private void replaced(long oldPlanId, Long[] taken) {
        String status = jdbc.sql("SELECT status FROM route_plan WHERE id = :id").param("id", oldPlanId)
                .query(String.class).single();
        if ("draft".equals(status)) {
            jdbc.sql("UPDATE route_plan SET status = 'cancelled' WHERE id = :id").param("id", oldPlanId).update();
            return;
        }
        jdbc.sql("""
                UPDATE route_stop s SET withdrawn_at = now() FROM route ro
                 WHERE ro.id = s.route_id AND ro.plan_id = :plan AND s.kind IN ('pickup', 'delivery')
                   AND s.withdrawn_at IS NULL AND s.delivery_request_id = ANY (CAST(:taken AS bigint[]))
                   AND NOT EXISTS (SELECT 1 FROM stop_outcome o WHERE o.stop_id = s.id)""")
                .param("plan", oldPlanId).param("taken", taken).update();
        boolean started = jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM stop_outcome o JOIN route ro ON ro.id = o.route_id WHERE ro.plan_id = :plan)""")
                .param("plan", oldPlanId).query(Boolean.class).single();
        if (!started) {
            jdbc.sql("""
                    UPDATE route_plan p SET status = 'cancelled' WHERE p.id = :plan AND NOT EXISTS (
                        SELECT 1 FROM route_stop s JOIN route ro ON ro.id = s.route_id
                         WHERE ro.plan_id = p.id AND s.kind = 'delivery' AND s.withdrawn_at IS NULL)""")
                    .param("plan", oldPlanId).update();
        }
        // a route left with nothing to do and nothing done closes without a service record
        jdbc.sql("""
                UPDATE route ro SET finished_at = now()
                 WHERE ro.plan_id = :plan AND ro.finished_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM route_stop s
                                    WHERE s.route_id = ro.id AND s.kind = 'delivery' AND s.withdrawn_at IS NULL)
                   AND NOT EXISTS (SELECT 1 FROM stop_outcome o WHERE o.route_id = ro.id)""")
                .param("plan", oldPlanId).update();
        for (Long route : jdbc.sql("SELECT id FROM route WHERE plan_id = :plan AND finished_at IS NULL ORDER BY id")
                .param("plan", oldPlanId).query(Long.class).list()) {
            serviceRecords.finishIfDone(route);
        }
    }

    /** Why a household cannot be reached, in words a dispatcher can act on. */
    static String notNearARoad(Unsnapped home) {
        return "the home is not near a road (" + (Double.isNaN(home.distanceMeters()) ? "no road found"
                : Math.round(home.distanceMeters()) + " m to the nearest road") + ")";
    }

    private static boolean samePoint(Place a, Place b) {
        return a.lat() == b.lat() && a.lon() == b.lon();
    }
}
