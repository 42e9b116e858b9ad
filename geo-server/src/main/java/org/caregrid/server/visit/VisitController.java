package org.caregrid.server.visit;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.service.ServiceRecords;
import org.caregrid.server.web.ApiException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.caregrid.importer.VisitMethod;
import org.caregrid.server.db.Db;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The visit ledger (台账): grid workers record visits to the key persons of their grid, volunteers
 * to those they are responsible for. The coverage metrics read the ledger directly, so a recorded
 * visit changes the overdue list at once.
 */
@RestController
class VisitController {

    static final Set<String> NEEDS = java.util.Arrays.stream(org.caregrid.importer.Need.values())
            .map(org.caregrid.importer.Need::code).collect(java.util.stream.Collectors.toUnmodifiableSet());


    private static final String LIST = """
            SELECT v.id, v.visited_at, v.method, v.findings, v.needs_found, v.follow_up, v.escalated,
                   v.escalation_note, v.recorded_by, vp.name AS visitor_name
              FROM visit v LEFT JOIN person vp ON vp.id = v.visitor_person_id
             WHERE v.key_person_id = :person
             ORDER BY v.visited_at DESC, v.id DESC
            """;

    private final JdbcClient jdbc;
    private final PersonAccess access;
    private final AuditLog auditLog;
    private final TransactionTemplate transaction;
    private final ServiceRecords serviceRecords;

    VisitController(JdbcClient jdbc, PersonAccess access, AuditLog auditLog, TransactionTemplate transaction,
                    ServiceRecords serviceRecords) {
        this.jdbc = jdbc;
        this.serviceRecords = serviceRecords;
        this.access = access;
        this.auditLog = auditLog;
        this.transaction = transaction;
    }

    /**
     * @param visitedAt      when; now when absent
     * @param needsFound     needs found on the visit (codes of the needs list)
     * @param escalate       a need the community cannot solve, passed up (上报)
     */
    record NewVisit(Long keyPersonId, String method, OffsetDateTime visitedAt, String findings,
                    List<String> needsFound, String followUp, Boolean escalate, String escalationNote) {
    }

    record Visit(long id, OffsetDateTime visitedAt, String method, String findings, List<String> needsFound,
                 String followUp, boolean escalated, String escalationNote, String recordedBy, String visitorName) {
    }

    @PostMapping("/api/visits")
    @Requires(Action.RECORD_VISIT)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Visit> record(@RequestBody NewVisit visit, @AuthenticationPrincipal CaregridUser user) {
        List<ApiException.FieldFault> faults = validate(visit);
        if (!faults.isEmpty()) {
            return Mono.error(ApiException.invalid(faults));
        }
        VisitMethod method = VisitMethod.parse(visit.method());
        OffsetDateTime at = visit.visitedAt() == null ? OffsetDateTime.now() : visit.visitedAt();
        boolean escalate = Boolean.TRUE.equals(visit.escalate());
        return Db.async(() -> transaction.execute(status -> {
            if (!isKeyPerson(visit.keyPersonId()) || !access.visible(user, visit.keyPersonId())) {
                throw ApiException.notFound("error.visit.keyPerson", visit.keyPersonId());
            }
            long id;
            try {
                id = jdbc.sql(VisitRules.INSERT)
                        .param("person", visit.keyPersonId())
                        .param("visitor", user.personId())
                        .param("at", at)
                        .param("method", method.code())
                        .param("findings", visit.findings())
                        .param("needs", visit.needsFound() == null ? new String[0] : visit.needsFound().toArray(String[]::new))
                        .param("follow_up", visit.followUp())
                        .param("escalated", escalate)
                        .param("note", escalate ? visit.escalationNote() : null)
                        .param("by", user.getUsername())
                        .query(Long.class).single();
            } catch (DuplicateKeyException e) {
                if (!String.valueOf(e.getMessage()).contains(VisitRules.SAME_VISIT_INDEX)) {
                    throw e;
                }
                // the same visit sent twice (a double tap, a resend): the first is kept, the second is told so
                throw ApiException.conflict("error.visit.duplicate", String.valueOf(visit.keyPersonId()), at, method.code());
            }
            serviceRecords.visitRecorded(id);
            auditLog.personAction(user, "record_visit", "POST /api/visits", visit.keyPersonId(), Purpose.VISIT);
            return new Visit(id, at, method.code(), visit.findings(),
                    visit.needsFound() == null ? List.of() : visit.needsFound(), visit.followUp(), escalate,
                    escalate ? visit.escalationNote() : null, user.getUsername(), null);
        }));
    }

    @GetMapping("/api/persons/{id}/visits")
    @Requires(Action.READ_NAMES)
    Mono<List<Visit>> visits(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            if (!access.visible(user, id)) {
                throw ApiException.notFound("error.person.notFound", id);
            }
            auditLog.personAction(user, "list_visits", "GET /api/persons/" + id + "/visits", id, Purpose.VISIT);
            return jdbc.sql(LIST).param("person", id).query((rs, n) -> new Visit(rs.getLong("id"),
                    rs.getObject("visited_at", OffsetDateTime.class), rs.getString("method"), rs.getString("findings"),
                    List.of((String[]) rs.getArray("needs_found").getArray()), rs.getString("follow_up"),
                    rs.getBoolean("escalated"), rs.getString("escalation_note"), rs.getString("recorded_by"),
                    rs.getString("visitor_name"))).list();
        });
    }

    private boolean isKeyPerson(long personId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM key_person WHERE person_id = :id)").param("id", personId)
                .query(Boolean.class).single();
    }

    private static List<ApiException.FieldFault> validate(NewVisit visit) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (visit.keyPersonId() == null) {
            faults.add(new ApiException.FieldFault("keyPersonId", "error.required"));
        }
        if (visit.method() == null || visit.method().isBlank()) {
            faults.add(new ApiException.FieldFault("method", "error.visit.method", String.valueOf(visit.method())));
        } else {
            try {
                VisitMethod.parse(visit.method());
            } catch (IllegalArgumentException e) {
                faults.add(new ApiException.FieldFault("method", "error.visit.method", visit.method()));
            }
        }
        if (visit.visitedAt() != null) {
            VisitRules.checkTime("visitedAt", visit.visitedAt(), faults);
        }
        if (visit.needsFound() != null) {
            for (int i = 0; i < visit.needsFound().size(); i++) {
                String need = visit.needsFound().get(i);
                if (need == null || !NEEDS.contains(need)) {
                    faults.add(new ApiException.FieldFault("needsFound[" + i + "]", "error.visit.need", String.valueOf(need),
                            String.join(", ", NEEDS.stream().sorted().toList())));
                }
            }
        }
        VisitRules.checkText("findings", visit.findings(), faults);
        VisitRules.checkText("followUp", visit.followUp(), faults);
        VisitRules.checkText("escalationNote", visit.escalationNote(), faults);
        if (Boolean.TRUE.equals(visit.escalate()) && (visit.escalationNote() == null || visit.escalationNote().isBlank())) {
            faults.add(new ApiException.FieldFault("escalationNote", "error.visit.escalation"));
        }
        return faults;
    }
}
