package org.caregrid.server.visit;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.caregrid.importer.VisitMethod;
import org.caregrid.server.db.Db;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Role;
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
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The visit ledger (台账): grid workers record visits to the key persons of their grid, volunteers
 * to those they are responsible for. The coverage metrics read the ledger directly, so a recorded
 * visit changes the overdue list at once.
 */
@RestController
class VisitController {

    static final Set<String> NEEDS = Set.of("medicine_delivery", "meal_ordering", "shopping", "companionship",
            "psychological_support", "medical_referral", "garbage_pickup", "homework_help");

    /** Clocks of phones differ a little; a visit further in the future than this is a mistake. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

    private static final String INSERT = """
            INSERT INTO visit (key_person_id, visitor_person_id, visited_at, method, findings, needs_found,
                               follow_up, escalated, escalation_note, recorded_by)
            VALUES (:person, :visitor, :at, :method, :findings, :needs, :follow_up, :escalated, :note, :by)
            RETURNING id
            """;

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

    VisitController(JdbcClient jdbc, PersonAccess access, AuditLog auditLog, TransactionTemplate transaction) {
        this.jdbc = jdbc;
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
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Visit> record(@RequestBody NewVisit visit, @AuthenticationPrincipal CaregridUser user) {
        if (!(user.has(Role.GRID_WORKER) || user.has(Role.VOLUNTEER) || user.has(Role.ADMIN))) {
            return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Visits are recorded by grid workers and by volunteers for the persons assigned to them"));
        }
        List<String> problems = validate(visit);
        if (!problems.isEmpty()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, String.join("; ", problems)));
        }
        VisitMethod method = VisitMethod.parse(visit.method());
        OffsetDateTime at = visit.visitedAt() == null ? OffsetDateTime.now() : visit.visitedAt();
        boolean escalate = Boolean.TRUE.equals(visit.escalate());
        return Db.async(() -> transaction.execute(status -> {
            if (!isKeyPerson(visit.keyPersonId()) || !access.visible(user, visit.keyPersonId())) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No key person " + visit.keyPersonId() + " among those you visit");
            }
            long id = jdbc.sql(INSERT)
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
            auditLog.personAction(user, "record_visit", "POST /api/visits", visit.keyPersonId());
            return new Visit(id, at, method.code(), visit.findings(),
                    visit.needsFound() == null ? List.of() : visit.needsFound(), visit.followUp(), escalate,
                    escalate ? visit.escalationNote() : null, user.getUsername(), null);
        }));
    }

    @GetMapping("/api/persons/{id}/visits")
    Mono<List<Visit>> visits(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        if (!PersonAccess.mayReadPersons(user)) {
            return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Your role sees aggregates, not individual persons"));
        }
        return Db.async(() -> {
            if (!access.visible(user, id)) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No person " + id + " in your area of work");
            }
            auditLog.personAction(user, "list_visits", "GET /api/persons/" + id + "/visits", id);
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

    private static List<String> validate(NewVisit visit) {
        List<String> problems = new ArrayList<>();
        if (visit.keyPersonId() == null) {
            problems.add("keyPersonId is required");
        }
        if (visit.method() == null || visit.method().isBlank()) {
            problems.add("method is required (door/上门, phone/电话, sms/短信, wechat/微信)");
        } else {
            try {
                VisitMethod.parse(visit.method());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (visit.visitedAt() != null && visit.visitedAt().isAfter(OffsetDateTime.now().plus(CLOCK_SKEW))) {
            problems.add("visitedAt " + visit.visitedAt() + " lies in the future");
        }
        if (visit.needsFound() != null) {
            visit.needsFound().stream().filter(n -> !NEEDS.contains(n)).forEach(n ->
                    problems.add("needsFound: unknown need '" + n + "'; known needs: " + String.join(", ", NEEDS.stream().sorted().toList())));
        }
        if (Boolean.TRUE.equals(visit.escalate()) && (visit.escalationNote() == null || visit.escalationNote().isBlank())) {
            problems.add("escalationNote is required when escalate is true: say what the community cannot solve");
        }
        return problems;
    }
}
