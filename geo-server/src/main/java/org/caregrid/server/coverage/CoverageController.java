package org.caregrid.server.coverage;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

import org.caregrid.server.db.Db;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Role;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Coverage reports: all metrics for an area and one level down, and the list behind each metric,
 * as JSON, CSV, XLSX or GeoJSON ({@code ?format=} or the Accept header).
 */
@RestController
class CoverageController {

    private final CoverageQueries queries;
    private final DrillDown drillDown;
    private final CoverageExports exports;
    private final CoverageProperties properties;
    private final AuditLog auditLog;
    private final Suggestions suggestions;
    private final WhatIf whatIf;
    private final PersonAccess personAccess;
    private final RoutingService routing;

    CoverageController(CoverageQueries queries, DrillDown drillDown, CoverageExports exports,
                       CoverageProperties properties, AuditLog auditLog, Suggestions suggestions, WhatIf whatIf,
                       PersonAccess personAccess, RoutingService routing) {
        this.queries = queries;
        this.drillDown = drillDown;
        this.exports = exports;
        this.properties = properties;
        this.auditLog = auditLog;
        this.suggestions = suggestions;
        this.whatIf = whatIf;
        this.personAccess = personAccess;
        this.routing = routing;
    }

    record WhatIfRequest(String area, Long grid, String asOf, List<WhatIf.Appointment> appointments) {
    }

    record WhatIfAnswer(String level, String code, Long gridId, LocalDate asOf, List<WhatIf.Change> changes) {
    }

    /** Candidates who could close one gap (a building, unit, key person or grid: {@code item}). */
    @GetMapping("/api/coverage/{metricId}/suggestions")
    Mono<List<Suggestions.Candidate>> suggestions(@PathVariable String metricId, @RequestParam String item,
                                                  @RequestParam(defaultValue = "10") int limit,
                                                  @RequestParam(required = false) String asOf,
                                                  @AuthenticationPrincipal CaregridUser user) {
        Metric metric = parseMetric(metricId);
        requirePlanning(user);
        if (limit < 1 || limit > 100) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 100");
        }
        if (!item.matches("[0-9]{1,18}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "item is the id of the building, unit, key person or grid");
        }
        LocalDate day = day(asOf);
        boolean withNames = user.has(Role.ADMIN) || user.has(Role.GRID_WORKER);
        return Db.async(() -> {
            try {
                // a wider net by straight line, then the nearest by walking where the road network is ready
                var network = routing.network();
                List<Suggestions.Candidate> found = suggestions.forGap(metric, item, personAccess.predicate(user, "p"),
                        day, network.isPresent() ? limit * 3 : limit, withNames);
                if (network.isPresent()) {
                    found = Suggestions.byWalkingDistance(found, limit, network.get());
                }
                if (withNames) {
                    auditLog.personsListed(user, "GET /api/coverage/" + metric.id() + "/suggestions",
                            found.stream().map(Suggestions.Candidate::personId).toList());
                }
                return found;
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
        });
    }

    @PostMapping("/api/coverage/what-if")
    Mono<WhatIfAnswer> whatIf(@RequestBody WhatIfRequest request, @AuthenticationPrincipal CaregridUser user) {
        requirePlanning(user);
        if (request.appointments() == null || request.appointments().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "appointments: give at least one");
        }
        LocalDate day = day(request.asOf());
        return Db.async(() -> {
            CoverageArea place = resolve(request.area(), request.grid(), user.scope());
            for (WhatIf.Appointment a : request.appointments()) {
                if (a.personId() != null && !personAccess.inScope(user, a.personId())) {
                    throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No person " + a.personId() + " in your area of work");
                }
            }
            try {
                return new WhatIfAnswer(place.level(), place.code(), place.gridId(), day,
                        whatIf.evaluate(request.appointments(), place, user.scope(), day));
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
        });
    }

    private static void requirePlanning(CaregridUser user) {
        if (!(user.has(Role.ADMIN) || user.has(Role.PLANNER) || user.has(Role.GRID_WORKER))) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Suggestions and what-ifs are for planners and grid workers");
        }
    }

    record MetricDefinition(String id, String name, String itemKind, String itemTarget, double target) {
    }

    record Summary(String level, String code, Long gridId, String name, LocalDate asOf, List<MetricSummary> metrics) {
    }

    @GetMapping("/api/coverage/metrics")
    List<MetricDefinition> metrics() {
        return Arrays.stream(Metric.values())
                .map(m -> new MetricDefinition(m.id(), m.chineseName(), m.itemKind(), m.itemTarget(), properties.rateTarget(m)))
                .toList();
    }

    @GetMapping("/api/coverage/summary")
    Mono<ResponseEntity<?>> summary(@RequestParam(required = false) String area,
                                    @RequestParam(required = false) Long grid,
                                    @RequestParam(required = false) String asOf,
                                    @RequestParam(required = false) String format,
                                    @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                    @AuthenticationPrincipal CaregridUser user) {
        ExportFormat exportFormat = ExportFormat.choose(format, accept);
        LocalDate day = day(asOf);
        return Db.async(() -> {
            CoverageArea place = resolve(area, grid, user.scope());
            List<Figures> children = queries.childPlaces(place, user.scope());
            List<MetricSummary> metrics = queries.summaries(place, user.scope(), day, children);
            Summary summary = new Summary(place.level(), place.code(), place.gridId(), place.name(), day, metrics);
            return switch (exportFormat) {
                case JSON -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(summary);
                case CSV -> exports.csv(exports.summaryRows(metrics), "coverage-" + place.code() + "-" + day);
                case XLSX -> exports.summaryWorkbook(place, day, metrics);
                case GEOJSON -> exports.summaryGeoJson(place, metrics);
            };
        });
    }

    @GetMapping("/api/coverage/{metricId}")
    Mono<ResponseEntity<?>> list(@PathVariable String metricId,
                                 @RequestParam(required = false) String area,
                                 @RequestParam(required = false) Long grid,
                                 @RequestParam(required = false) String asOf,
                                 @RequestParam(defaultValue = "gap") String status,
                                 @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "50") int size,
                                 @RequestParam(required = false) String format,
                                 @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                 @AuthenticationPrincipal CaregridUser user) {
        Metric metric = parseMetric(metricId);
        ExportFormat exportFormat = ExportFormat.choose(format, accept);
        DrillDown.Status wanted = parseStatus(status);
        requirePage(page, size);
        LocalDate day = day(asOf);
        // names only for those who visit people; planners get the same list without them
        boolean withNames = metric.listsPersons()
                && (user.has(Role.ADMIN) || user.has(Role.GRID_WORKER) || PersonAccess.onlyAssigned(user));
        return Db.async(() -> {
            CoverageArea place = resolve(area, grid, user.scope());
            SqlPredicate assigned = metric.listsPersons()
                    ? personAccess.assignedOnly(user, "i.item_id") : SqlPredicate.TRUE;
            DrillDown.Page result = drillDown.list(metric, place, user.scope(), assigned, day, wanted, page, size, withNames);
            if (withNames) {
                auditLog.personsListed(user, "GET /api/coverage/" + metric.id(),
                        result.items().stream().map(i -> Long.valueOf(i.id())).toList());
            }
            return switch (exportFormat) {
                case JSON -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result);
                case CSV -> exports.csv(exports.listRows(metric, result), metric.id() + "-" + place.code() + "-" + day);
                case XLSX -> exports.listWorkbook(metric, place, day, result);
                case GEOJSON -> exports.listGeoJson(result);
            };
        });
    }

    /** A drill-down's query parameters: the place, the day, which items and which page (gaps, first 50 by default). */
    record ListQuery(String area, Long grid, String asOf, String status, Integer page, Integer size) {
        int pageOrFirst() {
            return page == null ? 0 : page;
        }

        int sizeOrDefault() {
            return size == null ? 50 : size;
        }
    }

    /** The buildings behind a figure, worst first, with counts (no names): the map's and the table's list. */
    @GetMapping("/api/coverage/{metricId}/buildings")
    Mono<DrillDown.BuildingPage> buildings(@PathVariable String metricId, ListQuery query,
                                           @AuthenticationPrincipal CaregridUser user) {
        Metric metric = parseMetric(metricId);
        DrillDown.Status wanted = parseStatus(query.status() == null ? "gap" : query.status());
        requirePage(query.pageOrFirst(), query.sizeOrDefault());
        LocalDate day = day(query.asOf());
        return Db.async(() -> {
            CoverageArea place = resolve(query.area(), query.grid(), user.scope());
            try {
                return drillDown.buildings(metric, place, user.scope(), day, wanted, query.pageOrFirst(), query.sizeOrDefault());
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
        });
    }

    /** The area asked for, which must lie inside the caller's scope; the caller's own area by default. */
    private CoverageArea resolve(String areaCode, Long gridId, AreaScope scope) {
        if (areaCode != null && !areaCode.matches("[0-9]{12}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "area is a 12-digit division code (统计用区划代码); got '" + areaCode + "'");
        }
        if (areaCode == null && gridId == null) {
            return queries.home(scope).orElseThrow(() ->
                    new ResponseStatusException(HttpStatus.NOT_FOUND, "There are no areas yet: import or load some first"));
        }
        CoverageArea place = queries.findArea(gridId != null ? null : areaCode, gridId).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND,
                        gridId != null ? "No grid " + gridId : "No area " + areaCode));
        boolean inside;
        if (scope instanceof AreaScope.Grid own) {
            inside = place.isGrid() && place.gridId() == own.gridId();
        } else if (scope instanceof AreaScope.Area own) {
            inside = place.prefix().startsWith(own.prefix());
        } else {
            inside = true;
        }
        if (!inside) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "That area lies outside your area of work");
        }
        return place;
    }

    private LocalDate day(String asOf) {
        if (asOf == null || asOf.isBlank()) {
            return LocalDate.now(ZoneId.of(properties.timeZone()));
        }
        try {
            return LocalDate.parse(asOf);
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "asOf is a date like 2026-11-26; got '" + asOf + "'");
        }
    }

    private static void requirePage(int page, int size) {
        if (page < 0 || size < 1 || size > 10_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "page must be ≥ 0 and size between 1 and 10000");
        }
    }

    private static Metric parseMetric(String id) {
        try {
            return Metric.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
    }

    private static DrillDown.Status parseStatus(String status) {
        try {
            return DrillDown.Status.valueOf(status.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status is gap, ok or all; got '" + status + "'");
        }
    }
}
