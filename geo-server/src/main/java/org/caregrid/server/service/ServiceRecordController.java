package org.caregrid.server.service;

import java.time.LocalDate;
import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Requires;
import org.caregrid.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A volunteer's service records for a period, with the totals (hours, km, households) subsidies are paid on. */
@RestController
class ServiceRecordController {

    record Totals(int records, int minutes, double distanceKm, int households) {
    }

    record Records(long personId, LocalDate from, LocalDate to, List<ServiceRecords.ServiceRecord> records, Totals totals) {
    }

    private final ServiceRecords records;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final Today today;

    ServiceRecordController(ServiceRecords records, JdbcClient jdbc, AuditLog auditLog, Today today) {
        this.records = records;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.today = today;
    }

    /**
     * @param from first day (inclusive); the first day of this month when absent
     * @param to   last day (inclusive); today when absent
     */
    @GetMapping("/api/volunteers/{personId}/service-records")
    @Requires(Action.READ_NAMES)
    Mono<Records> list(@PathVariable long personId, @RequestParam(required = false) String from,
                       @RequestParam(required = false) String to, @AuthenticationPrincipal CaregridUser user) {
        Periods.Period period = Periods.between(from, to, today.date());
        LocalDate first = period.from();
        LocalDate last = period.to();
        return Db.async(() -> {
            // row-level security: a volunteer sees only themself, others the volunteers of their area
            if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM volunteer WHERE person_id = :id)").param("id", personId)
                    .query(Boolean.class).single()) {
                throw ApiException.notFound("error.serviceRecords.volunteer", personId);
            }
            List<ServiceRecords.ServiceRecord> list = records.between(personId, first, last);
            auditLog.personAction(user, "read_service_records", "GET /api/volunteers/" + personId + "/service-records",
                    personId, Purpose.REPORT);
            Totals totals = new Totals(list.size(), list.stream().mapToInt(ServiceRecords.ServiceRecord::minutes).sum(),
                    Math.round(list.stream().mapToDouble(ServiceRecords.ServiceRecord::distanceKm).sum() * 100) / 100.0,
                    list.stream().mapToInt(ServiceRecords.ServiceRecord::households).sum());
            return new Records(personId, first, last, list, totals);
        });
    }
}
