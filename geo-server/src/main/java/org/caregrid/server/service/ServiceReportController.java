package org.caregrid.server.service;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.caregrid.server.config.Today;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.Downloads;
import org.caregrid.server.web.Language;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The monthly subsidy sheet of the volunteers in the caller's scope (JSON, CSV or XLSX) and a volunteer's
 * printable service certificate. Both name volunteers: every answer is audited with purpose {@code report}.
 */
@RestController
class ServiceReportController {

    private final ServiceSheet sheet;
    private final ServiceCertificate certificate;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final Today today;

    ServiceReportController(ServiceSheet sheet, ServiceCertificate certificate, JdbcClient jdbc, AuditLog auditLog,
                            Today today) {
        this.sheet = sheet;
        this.certificate = certificate;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.today = today;
    }

    /**
     * @param month {@code YYYY-MM}; this month when absent
     * @param area  volunteers living in this area (12-digit code); with {@code grid}, neither: the caller's scope
     */
    @GetMapping("/api/reports/volunteer-service")
    @Requires(Action.REPORT_SERVICE)
    Mono<ResponseEntity<?>> sheet(@RequestParam(required = false) String month,
                                  @RequestParam(required = false) String area,
                                  @RequestParam(required = false) Long grid,
                                  @RequestParam(required = false) String format,
                                  @AuthenticationPrincipal CaregridUser user, ServerWebExchange exchange) {
        YearMonth wanted = month(month);
        String kind = format == null || format.isBlank() ? "json" : format.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("json") && !kind.equals("csv") && !kind.equals("xlsx")) {
            throw ApiException.invalid("format", "error.serviceReport.format", format);
        }
        if (area != null && grid != null) {
            throw ApiException.invalid("area", "error.serviceReport.place");
        }
        if (area != null && !area.matches("[0-9]{12}")) {
            throw ApiException.invalid("area", "error.area.code", area);
        }
        Locale locale = Language.of(exchange);
        return Db.async(() -> {
            record Named(ServiceSheet.Place place, String name, String code) {
            }
            // outside the caller's scope an area or grid does not exist for them, as in the coverage reports
            SqlPredicate areas = user.scope().areas("code");
            SqlPredicate grids = user.scope().grids("id", "community_code");
            Named place = area != null ? jdbc.sql("SELECT area_code_prefix(code, level), name FROM admin_area WHERE code = :c AND "
                            + areas.sql())
                    .param("c", area).params(areas.params())
                    .query((rs, n) -> new Named(new ServiceSheet.Place(rs.getString(1), null), rs.getString(2), area))
                    .optional().orElseThrow(() -> ApiException.notFound("error.area.notFound", area))
                    : grid != null ? jdbc.sql("SELECT name FROM grid WHERE id = :g AND " + grids.sql()).param("g", grid)
                    .params(grids.params())
                    .query((rs, n) -> new Named(new ServiceSheet.Place(null, grid), rs.getString(1), "grid-" + grid))
                    .optional().orElseThrow(() -> ApiException.notFound("error.grid.notFound", grid))
                    : new Named(new ServiceSheet.Place(null, null), "", "scope");
            ServiceSheet.Month result = sheet.month(wanted, place.place());
            auditLog.personsListed(user, "GET /api/reports/volunteer-service",
                    result.volunteers().stream().map(ServiceSheet.Line::personId).toList(), Purpose.REPORT);
            String fileName = "volunteer-service-" + wanted + "-" + place.code();
            return switch (kind) {
                case "csv" -> Downloads.csv(sheet.rows(result, locale), fileName);
                case "xlsx" -> sheet.xlsx(result, place.name(), fileName, locale);
                default -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result);
            };
        });
    }

    /**
     * @param from first day (inclusive); the first day of this month when absent
     * @param to   last day (inclusive); today when absent
     */
    @GetMapping(value = "/api/volunteers/{personId}/certificate", produces = "text/html;charset=UTF-8")
    @Requires(Action.REPORT_SERVICE)
    Mono<String> certificate(@PathVariable long personId, @RequestParam(required = false) String from,
                             @RequestParam(required = false) String to, @AuthenticationPrincipal CaregridUser user) {
        Periods.Period period = Periods.between(from, to, today.date());
        return Db.async(() -> {
            ServiceCertificate.Figures figures = certificate.figures(personId, period.from(), period.to());
            auditLog.personAction(user, "service_certificate", "GET /api/volunteers/" + personId + "/certificate",
                    personId, Purpose.REPORT);
            return certificate.html(figures, period.from(), period.to(), today.date());
        });
    }

    private YearMonth month(String month) {
        if (month == null || month.isBlank()) {
            return YearMonth.from(today.date());
        }
        try {
            if (month.trim().matches("[0-9]{4}-[0-9]{2}")) {
                return YearMonth.parse(month.trim());
            }
        } catch (DateTimeParseException e) {
            // 2026-13: the same answer as any other bad month
        }
        throw ApiException.invalid("month", "error.serviceReport.month", month);
    }
}
