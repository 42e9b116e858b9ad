package org.caregrid.server.dispatch;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** "Plan my visit route": the grid worker's due and overdue visits as one walk from the community office. */
@RestController
class VisitTourController {

    private final VisitTourPlanner planner;
    private final AuditLog auditLog;

    VisitTourController(VisitTourPlanner planner, AuditLog auditLog) {
        this.planner = planner;
        this.auditLog = auditLog;
    }

    @PostMapping("/api/visits/tour")
    @Requires(Action.PLAN_VISITS)
    Mono<VisitTourPlanner.Tour> tour(@RequestBody(required = false) VisitTourPlanner.TourRequest request,
                                     @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            VisitTourPlanner.Tour tour = planner.plan(request, user);
            java.util.List<Long> persons = new java.util.ArrayList<>();
            tour.stops().forEach(s -> persons.add(s.personId()));
            tour.unvisited().forEach(u -> persons.add(u.personId()));
            auditLog.personsListed(user, "/api/visits/tour", persons, Purpose.VISIT);
            return tour;
        });
    }
}
