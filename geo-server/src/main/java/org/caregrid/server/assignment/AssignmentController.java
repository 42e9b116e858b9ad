package org.caregrid.server.assignment;

import java.time.LocalDate;
import java.util.List;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.PersonalData;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Requires;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.Versions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Appointing building heads, unit heads, 包保 and the other roles; ending them. See {@link Assignments}. */
@RestController
class AssignmentController {

    private final Assignments assignments;
    private final AuditLog auditLog;

    AssignmentController(Assignments assignments, AuditLog auditLog) {
        this.assignments = assignments;
        this.auditLog = auditLog;
    }

    @PostMapping("/api/assignments")
    @Requires(Action.APPOINT)
    Mono<ResponseEntity<Assignments.Assignment>> appoint(@RequestBody Assignments.NewAssignment request,
                                                         @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> assignments.appoint(request, user)).map(a -> Versions.created("/api/assignments/" + a.id(), a.version(), a));
    }

    @PatchMapping("/api/assignments/{id}")
    @Requires(Action.APPOINT)
    Mono<ResponseEntity<Assignments.Assignment>> change(@PathVariable long id,
                                                        @RequestBody Assignments.AssignmentChange change,
                                                        @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                        @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> assignments.change(id, change, version, user))
                .map(a -> Versions.current(a.version(), a));
    }

    @GetMapping("/api/assignments/{id}")
    @Requires(Action.READ_AGGREGATE)
    @PersonalData(Purpose.REPORT)
    Mono<ResponseEntity<Assignments.Assignment>> one(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
                    Assignments.Assignment a = assignments.find(id, user);
                    // the appointed person's name is shown only to roles that read names: that read is logged
                    if (a.personName() != null) {
                        auditLog.personAction(user, "read_assignment", "GET /api/assignments/" + id, a.personId(), Purpose.REPORT);
                    }
                    return a;
                })
                .map(a -> Versions.current(a.version(), a));
    }

    @GetMapping("/api/assignments")
    @Requires(Action.READ_AGGREGATE)
    @PersonalData(Purpose.REPORT)
    Mono<List<Assignments.Assignment>> list(@RequestParam(required = false) Long building,
                                            @RequestParam(required = false) Long unit,
                                            @RequestParam(required = false) Long keyPerson,
                                            @RequestParam(required = false) Long grid,
                                            @RequestParam(required = false) Long person,
                                            @RequestParam(required = false) String role,
                                            @RequestParam(required = false) LocalDate activeOn,
                                            @RequestParam(defaultValue = "200") int limit,
                                            @AuthenticationPrincipal CaregridUser user) {
        if (limit < 1 || limit > 5000) {
            throw ApiException.invalid("limit", "error.range", 1, 5000, limit);
        }
        var filter = new Assignments.Filter(building, unit, keyPerson, grid, person, role, activeOn);
        return Db.async(() -> {
            List<Assignments.Assignment> found = assignments.list(filter, limit, user);
            auditLog.personsListed(user, "GET /api/assignments", found.stream().filter(a -> a.personName() != null)
                    .map(Assignments.Assignment::personId).distinct().toList(), Purpose.REPORT);
            return found;
        });
    }
}
