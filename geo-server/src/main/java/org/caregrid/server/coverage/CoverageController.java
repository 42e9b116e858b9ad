package org.caregrid.server.coverage;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.caregrid.server.config.Today;
import org.caregrid.server.db.Db;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.routing.RoutingService;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.PersonalData;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.Language;
import org.springframework.http.HttpHeaders;
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
import org.caregrid.server.web.ApiException;
import org.springframework.web.server.ServerWebExchange;
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
    private final Today today;
    private final MetricLabels labels;

    CoverageController(CoverageQueries queries, DrillDown drillDown, CoverageExports exports,
                       CoverageProperties properties, AuditLog auditLog, Suggestions suggestions, WhatIf whatIf,
                       PersonAccess personAccess, RoutingService routing, Today today, MetricLabels labels) {
        this.today = today;
        this.queries = queries;
        this.drillDown = drillDown;
        this.exports = exports;
        this.properties = properties;
        this.auditLog = auditLog;
        this.suggestions = suggestions;
        this.whatIf = whatIf;
        this.personAccess = personAccess;
        this.routing = routing;
        this.labels = labels;
    }

    record WhatIfRequest(String area, Long grid, String asOf, List<WhatIf.Appointment> appointments) {
    }

    record WhatIfAnswer(String level, String code, Long gridId, LocalDate asOf, List<WhatIf.Change> changes) {
    }

    /** Candidates who could close one gap (a building, unit, key person or grid: {@code item}). */
    @GetMapping("/api/coverage/{metricId}/suggestions")
    @Requires(Action.APPOINT)
    @PersonalData(Purpose.REPORT)
    Mono<List<Suggestions.Candidate>> suggestions(@PathVariable String metricId, @RequestParam String item,
                                                  @RequestParam(defaultValue = "10") int limit,
                                                  @RequestParam(required = false) String asOf,
                                                  @AuthenticationPrincipal CaregridUser user) {
        Metric metric = parseMetric(metricId);
        if (limit < 1 || limit > 100) {
            throw ApiException.invalid("limit", "error.range", 1, 100, limit);
        }
        if (!item.matches("[0-9]{1,18}")) {
            throw ApiException.invalid("item", "error.coverage.item");
        }
        LocalDate day = day(asOf);
        // the candidates' names for those who appoint them and may read names; planners appoint by count
        boolean withNames = AccessPolicy.allows(user, Action.APPOINT) && PersonAccess.mayReadPersons(user)
                && !PersonAccess.onlyAssigned(user);
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
                            found.stream().map(Suggestions.Candidate::personId).toList(), Purpose.REPORT);
                }
                return found;
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("item", "error.text", e.getMessage());
            }
        });
    }

    @PostMapping("/api/coverage/what-if")
    @Requires(Action.APPOINT)
    Mono<WhatIfAnswer> whatIf(@RequestBody WhatIfRequest request, @AuthenticationPrincipal CaregridUser user,
                              ServerWebExchange exchange) {
        if (request.appointments() == null || request.appointments().isEmpty()) {
            throw ApiException.invalid("appointments", "error.coverage.appointments");
        }
        LocalDate day = day(request.asOf());
        return Db.async(() -> {
            CoverageArea place = resolve(request.area(), request.grid(), user.scope());
            for (WhatIf.Appointment a : request.appointments()) {
                if (a.personId() != null && !personAccess.inScope(user, a.personId())) {
                    throw ApiException.notFound("error.person.notFound", a.personId());
                }
            }
            try {
                return new WhatIfAnswer(place.level(), place.code(), place.gridId(), day,
                        whatIf.evaluate(request.appointments(), place, user.scope(), day, Language.of(exchange)));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("appointments", "error.text", e.getMessage());
            }
        });
    }

    /** @param threshold the configured number the words mention (minutes, a ratio, a count), if any */
    record MetricDefinition(String id, String name, String itemKind, String itemTarget, double target, Number threshold) {
    }

    record Summary(String level, String code, Long gridId, String name, LocalDate asOf, List<MetricSummary> metrics) {
    }

    @GetMapping("/api/coverage/metrics")
    @Requires(Action.READ_AGGREGATE)
    List<MetricDefinition> metrics(ServerWebExchange exchange) {
        Locale locale = Language.of(exchange);
        return Arrays.stream(Metric.values())
                .map(m -> new MetricDefinition(m.id(), labels.name(m, locale), m.itemKind(), labels.itemTarget(m, locale),
                        properties.rateTarget(m), labels.threshold(m)))
                .toList();
    }

    @GetMapping("/api/coverage/summary")
    @Requires(Action.READ_AGGREGATE)
    Mono<ResponseEntity<?>> summary(@RequestParam(required = false) String area,
                                    @RequestParam(required = false) Long grid,
                                    @RequestParam(required = false) String asOf,
                                    @RequestParam(required = false) String format,
                                    @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                    @AuthenticationPrincipal CaregridUser user, ServerWebExchange exchange) {
        ExportFormat exportFormat = ExportFormat.choose(format, accept);
        LocalDate day = day(asOf);
        Locale locale = Language.of(exchange);
        return Db.async(() -> {
            CoverageArea place = resolve(area, grid, user.scope());
            List<Figures> children = queries.childPlaces(place, user.scope());
            List<MetricSummary> metrics = queries.summaries(place, user.scope(), day, children, locale);
            Summary summary = new Summary(place.level(), place.code(), place.gridId(), place.name(), day, metrics);
            return switch (exportFormat) {
                case JSON -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(summary);
                case CSV -> exports.csv(exports.summaryRows(metrics), "coverage-" + place.code() + "-" + day);
                case XLSX -> exports.summaryWorkbook(place, day, metrics);
                case GEOJSON -> exports.summaryGeoJson(summary);
            };
        });
    }

    @GetMapping("/api/coverage/{metricId}")
    @Requires(Action.READ_AGGREGATE)
    @PersonalData(Purpose.REPORT)
    Mono<ResponseEntity<?>> list(@PathVariable String metricId,
                                 @RequestParam(required = false) String area,
                                 @RequestParam(required = false) Long grid,
                                 @RequestParam(required = false) String asOf,
                                 @RequestParam(defaultValue = "gap") String status,
                                 @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "50") int size,
                                 @RequestParam(required = false) String format,
                                 @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                 @AuthenticationPrincipal CaregridUser user, ServerWebExchange exchange) {
        Metric metric = parseMetric(metricId);
        ExportFormat exportFormat = ExportFormat.choose(format, accept);
        DrillDown.Status wanted = parseStatus(status);
        if (!exportFormat.wholeList()) {
            requirePage(page, size);
        }
        LocalDate day = day(asOf);
        if (metric.listsPersons() && !PersonAccess.mayReadPersons(user)) {
            // a row per person (category, risk, exact point) re-identifies people even without a name: those who
            // may not read names get counts per building (GET /api/coverage/{metric}/buildings), never these rows
            throw ApiException.forbidden("error.coverage.aggregatesOnly", metric.id());
        }
        // names only for those who visit people; planners get the same list without them
        boolean withNames = metric.listsPersons() && PersonAccess.mayReadPersons(user)
                && (AccessPolicy.allows(user, Action.APPOINT) || PersonAccess.onlyAssigned(user));
        SqlPredicate assigned = metric.listsPersons() ? personAccess.assignedOnly(user, "i.item_id") : SqlPredicate.TRUE;
        String endpoint = "GET /api/coverage/" + metric.id();
        if (exportFormat.wholeList()) {
            // every page of the list, read from a cursor and written while it is sent; each name audited before it leaves
            return Db.async(() -> resolve(area, grid, user.scope())).flatMap(place -> exports.wholeList(exchange,
                    exportFormat, metric, place, day,
                    items -> drillDown.eachItem(metric, place, user.scope(), assigned, day, wanted, withNames, items),
                    ids -> {
                        if (withNames) {
                            auditLog.personsListed(user, endpoint, ids, Purpose.REPORT);
                        }
                    }));
        }
        return Db.async(() -> {
            CoverageArea place = resolve(area, grid, user.scope());
            DrillDown.Page result = drillDown.list(metric, place, user.scope(), assigned, day, wanted, page, size, withNames);
            if (withNames) {
                auditLog.personsListed(user, endpoint, result.items().stream().map(i -> Long.valueOf(i.id())).toList(),
                        Purpose.REPORT);
            }
            return switch (exportFormat) {
                case GEOJSON -> exports.listGeoJson(result);
                default -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result);
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

    /**
     * The buildings behind a figure, worst first, with counts (no names): the map's and the table's list, a page
     * as JSON or GeoJSON, the whole list as CSV or XLSX.
     */
    @GetMapping("/api/coverage/{metricId}/buildings")
    @Requires(Action.READ_AGGREGATE)
    Mono<ResponseEntity<?>> buildings(@PathVariable String metricId, ListQuery query,
                                      @RequestParam(required = false) String format,
                                      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                      @AuthenticationPrincipal CaregridUser user, ServerWebExchange exchange) {
        Metric metric = parseMetric(metricId);
        ExportFormat exportFormat = ExportFormat.choose(format, accept);
        DrillDown.Status wanted = parseStatus(query.status() == null ? "gap" : query.status());
        if (!exportFormat.wholeList()) {
            requirePage(query.pageOrFirst(), query.sizeOrDefault());
        }
        LocalDate day = day(query.asOf());
        try {
            DrillDown.requireBuildings(metric);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("metricId", "error.text", e.getMessage());
        }
        if (exportFormat.wholeList()) {
            return Db.async(() -> resolve(query.area(), query.grid(), user.scope())).flatMap(place ->
                    exports.wholeBuildingList(exchange, exportFormat, metric, place, day,
                            rows -> drillDown.eachBuilding(metric, place, user.scope(), day, wanted, rows)));
        }
        return Db.async(() -> {
            CoverageArea place = resolve(query.area(), query.grid(), user.scope());
            DrillDown.BuildingPage page = drillDown.buildings(metric, place, user.scope(), day, wanted,
                    query.pageOrFirst(), query.sizeOrDefault());
            return switch (exportFormat) {
                case GEOJSON -> exports.buildingsGeoJson(page);
                default -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
            };
        });
    }

    /** The area asked for, which must lie inside the caller's scope; the caller's own area by default. */
    private CoverageArea resolve(String areaCode, Long gridId, AreaScope scope) {
        if (areaCode != null && !areaCode.matches("[0-9]{12}")) {
            throw ApiException.invalid("area", "error.area.code", areaCode);
        }
        if (areaCode == null && gridId == null) {
            return queries.home(scope).orElseThrow(() ->
                    ApiException.notFound("error.area.none"));
        }
        CoverageArea place = queries.findArea(gridId != null ? null : areaCode, gridId).orElseThrow(() ->
                gridId != null ? ApiException.notFound("error.grid.notFound", gridId)
                        : ApiException.notFound("error.area.notFound", areaCode));
        boolean inside;
        if (scope instanceof AreaScope.Grid own) {
            inside = place.isGrid() && place.gridId() == own.gridId();
        } else if (scope instanceof AreaScope.Area own) {
            inside = place.prefix().startsWith(own.prefix());
        } else {
            inside = true;
        }
        if (!inside) {
            // outside the caller's scope an area does not exist for them
            throw gridId != null ? ApiException.notFound("error.grid.notFound", gridId)
                    : ApiException.notFound("error.area.notFound", areaCode);
        }
        return place;
    }

    /** The report's day: today by default; a day from 2000 to a year ahead otherwise. */
    private LocalDate day(String asOf) {
        LocalDate now = today.date();
        if (asOf == null || asOf.isBlank()) {
            return now;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(asOf);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("asOf", "error.date", asOf);
        }
        if (day.isBefore(EARLIEST_REPORT_DAY) || day.isAfter(now.plusYears(1))) {
            throw ApiException.invalid("asOf", "error.date.range", EARLIEST_REPORT_DAY, now.plusYears(1));
        }
        return day;
    }

    private static final LocalDate EARLIEST_REPORT_DAY = LocalDate.of(2000, 1, 1);

    private static void requirePage(int page, int size) {
        if (page < 0 || size < 1 || size > 10_000) {
            throw ApiException.invalid(page < 0 ? "page" : "size", "error.coverage.page");
        }
    }

    private static Metric parseMetric(String id) {
        try {
            return Metric.fromId(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("error.coverage.metric", id,
                    String.join(", ", Arrays.stream(Metric.values()).map(Metric::id).toList()));
        }
    }

    private static DrillDown.Status parseStatus(String status) {
        try {
            return DrillDown.Status.valueOf(status.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "error.coverage.status", status);
        }
    }
}
