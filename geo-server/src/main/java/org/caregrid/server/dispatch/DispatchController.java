package org.caregrid.server.dispatch;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Delivery requests on the map, volunteers to pick, and route plans: create one (OR-Tools on the
 * road network) and read it back as GeoJSON. Dispatchers and administrators, within their area;
 * names of key persons are shown for the delivery and every read is logged.
 */
@RestController
class DispatchController {

    /** Where a key person lives, for the map and the sheet: own point, else unit, else building entrance. */
    static final String HOME = "coalesce(p.location, pu.entrance, pb.entrance)";
    static final String ADDRESS = "concat_ws(' ', pb.address, pb.name, pu.number, p.room)";

    private static final String REQUESTS = """
            SELECT r.id, r.items, r.demand, r.urgency, r.status, r.window_start AS "windowStart",
                   r.window_end AS "windowEnd", r.created_at AS "createdAt", r.facility_id AS "facilityId",
                   f.name AS "facilityName", r.key_person_id AS "personId", p.name AS "personName",
                   %s AS address, p.grid_id AS "gridId", %s AS geom
              FROM delivery_request r
              JOIN person p ON p.id = r.key_person_id
              LEFT JOIN unit pu ON pu.id = p.unit_id
              LEFT JOIN building pb ON pb.id = p.building_id
              LEFT JOIN facility f ON f.id = r.facility_id
             WHERE (CAST(:status AS text) IS NULL OR r.status = :status)
               AND (CAST(:urgency AS text) IS NULL OR r.urgency = :urgency)
               AND (CAST(:pharmacy AS bigint) IS NULL OR r.facility_id = :pharmacy)
               AND %s
             ORDER BY r.urgency = 'urgent' DESC, r.id
            """;

    private static final String VOLUNTEERS = """
            SELECT v.person_id AS "personId", vp.name, v.travel_mode AS "travelMode", v.capacity,
                   v.max_stops AS "maxStops", v.teams, vp.grid_id AS "gridId",
                   v.home AS geom
              FROM volunteer v JOIN person vp ON vp.id = v.person_id
             WHERE NOT v.is_reserve AND vp.closed_on IS NULL AND %s
             ORDER BY 'medicine_delivery' = ANY (v.teams) DESC, v.person_id
            """;

    private static final List<String> PLAN_STATUSES = List.of("draft", "published", "done", "cancelled");

    private final DispatchPlanner planner;
    private final PlanPublisher publisher;
    private final PlanReader reader;
    private final PlanState states;
    private final Today today;
    private final RouteSheet sheet;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;

    DispatchController(DispatchPlanner planner, PlanPublisher publisher, PlanReader reader, PlanState states, RouteSheet sheet,
                       JdbcClient jdbc, AuditLog auditLog, Today today) {
        this.planner = planner;
        this.publisher = publisher;
        this.reader = reader;
        this.states = states;
        this.today = today;
        this.sheet = sheet;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
    }

    @PostMapping("/api/dispatch/plans")
    @Requires(Action.PLAN_DELIVERIES)
    Mono<DispatchPlanner.Outcome> plan(@RequestBody DispatchPlanner.PlanRequest request,
                                       @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> planner.plan(request, user));
    }

    @GetMapping(value = "/api/dispatch/plans/{id}", produces = {"application/geo+json", "application/json"})
    @Requires(Action.PLAN_DELIVERIES)
    Mono<ResponseEntity<String>> plan(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            String json = reader.geoJson(id);
            auditLog.personsListed(user, "/api/dispatch/plans/" + id, reader.persons(id), Purpose.DISPATCH);
            return ResponseEntity.ok().eTag(Versions.etag(reader.version(id))).body(json);
        });
    }

    /**
     * A day's plans (today when no {@code date}), each with its status and done / total deliveries, so that a
     * dispatcher can open a published plan again; only plans whose households the caller sees are listed.
     */
    @GetMapping("/api/dispatch/plans")
    @Requires(Action.PLAN_DELIVERIES)
    Mono<ResponseEntity<String>> plans(@RequestParam(required = false) String date,
                                       @RequestParam(required = false) String status) {
        java.time.LocalDate day;
        try {
            day = date == null || date.isBlank() ? today.date() : java.time.LocalDate.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            return Mono.error(ApiException.invalid("date", "error.dispatch.date", date));
        }
        if (status != null && !PLAN_STATUSES.contains(status)) {
            return Mono.error(ApiException.invalid("status", "error.dispatch.planStatus", status, String.join(", ", PLAN_STATUSES)));
        }
        return Db.async(() -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(states.plans(day, status)));
    }

    /**
     * The plan's live state (each delivery stop's outcome and time, done / total per route), for the screen
     * to poll: with the ETag it last had in {@code If-None-Match}, an unchanged state answers 304, empty and
     * not logged; a changed one is logged as a read of the plan's households, as the plan itself is.
     */
    @GetMapping("/api/dispatch/plans/{id}/state")
    @Requires(Action.PLAN_DELIVERIES)
    Mono<ResponseEntity<String>> state(@PathVariable long id,
                                       @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                       @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            PlanState.State state = states.of(id);
            if (state.etag().equals(ifNoneMatch)) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(state.etag()).<String>build();
            }
            auditLog.personsListed(user, "/api/dispatch/plans/" + id + "/state", reader.persons(id), Purpose.DISPATCH);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).eTag(state.etag()).body(state.json());
        });
    }

    /** Optional body of a publication: why, for the change history. */
    record Publication(String reason) {
    }

    /**
     * Sends a draft plan to its volunteers: {@code If-Match} names the plan's version; its requests
     * become assigned; each volunteer then sees their route at GET /api/my/route.
     */
    @PostMapping("/api/dispatch/plans/{id}/publish")
    @Requires(Action.PUBLISH)
    Mono<ResponseEntity<PlanPublisher.Published>> publish(@PathVariable long id,
                                                          @RequestBody(required = false) Publication body,
                                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                          @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        String reason = body == null ? null : body.reason();
        List<ApiException.FieldFault> faults = new java.util.ArrayList<>();
        TextInput.check("reason", reason, 500, faults);
        if (!faults.isEmpty()) {
            return Mono.error(ApiException.invalid(faults));
        }
        return Db.async(() -> publisher.publish(id, version, reason, user))
                .map(p -> ResponseEntity.ok().eTag(Versions.etag(p.version())).body(p));
    }

    /** A volunteer's printable route sheet (zh-CN HTML with an inline SVG map; no internet needed). */
    @GetMapping(value = "/api/dispatch/plans/{id}/sheet/{volunteerPersonId}", produces = "text/html;charset=UTF-8")
    @Requires(Action.PLAN_DELIVERIES)
    Mono<String> sheet(@PathVariable long id, @PathVariable long volunteerPersonId,
                       @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            String html = sheet.html(id, volunteerPersonId, user);
            auditLog.personsListed(user, "/api/dispatch/plans/" + id + "/sheet/" + volunteerPersonId, reader.persons(id), Purpose.DISPATCH);
            return html;
        });
    }

    /**
     * @param status   pending (default), planned, ..., or "all"
     * @param urgency  normal or urgent; both when absent
     * @param pharmacy a facility id: only requests tied to it
     */
    @GetMapping(value = "/api/dispatch/requests", produces = {"application/geo+json", "application/json"})
    @Requires(Action.PLAN_DELIVERIES)
    Mono<String> requests(@RequestParam(defaultValue = "pending") String status,
                          @RequestParam(required = false) String urgency,
                          @RequestParam(required = false) Long pharmacy,
                          @AuthenticationPrincipal CaregridUser user) {
        SqlPredicate scope = user.scope().rows("p.area_code", "p.grid_id");
        String sql = REQUESTS.formatted(ADDRESS, HOME, scope.sql());
        return Db.async(() -> listed(jdbc.sql(featuresAndPersons(sql)).params(scope.params())
                .param("status", "all".equals(status) ? null : status)
                .param("urgency", urgency == null || urgency.isBlank() ? null : urgency)
                .param("pharmacy", pharmacy), user, "/api/dispatch/requests"));
    }

    /** The volunteers a dispatcher can send (not the reserve), delivery-squad members first. */
    @GetMapping(value = "/api/dispatch/volunteers", produces = {"application/geo+json", "application/json"})
    @Requires(Action.PLAN_DELIVERIES)
    Mono<String> volunteers(@AuthenticationPrincipal CaregridUser user) {
        SqlPredicate scope = user.scope().rows("vp.area_code", "vp.grid_id");
        String sql = VOLUNTEERS.formatted(scope.sql());
        return Db.async(() -> listed(jdbc.sql(featuresAndPersons(sql)).params(scope.params()), user, "/api/dispatch/volunteers"));
    }

    /**
     * A GeoJSON collection of {@code rows} (which have a "personId" and a geom) and, from the same rows, the
     * persons it shows: the audit log names exactly the persons the answer returned.
     */
    private static String featuresAndPersons(String rows) {
        return "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg("
                + "ST_AsGeoJSON(x.*, 'geom', 7)::json), '[]'::json))::text, "
                + "coalesce(array_agg(DISTINCT x.\"personId\"), '{}') FROM (" + rows + ") x";
    }

    /** Blocking. Runs a {@link #featuresAndPersons} query and logs the persons it returned. */
    private String listed(JdbcClient.StatementSpec query, CaregridUser user, String endpoint) {
        Object[] answer = query.query((rs, n) -> new Object[] {rs.getString(1), (Long[]) rs.getArray(2).getArray()}).single();
        auditLog.personsListed(user, endpoint, List.of((Long[]) answer[1]), Purpose.DISPATCH);
        return (String) answer[0];
    }
}
