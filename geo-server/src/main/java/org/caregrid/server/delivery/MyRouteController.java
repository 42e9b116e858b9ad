package org.caregrid.server.delivery;

import java.net.URI;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Requires;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The volunteer's phone: today's route ({@link MyRoute}) and one outcome per stop ({@link StopOutcomes}). */
@RestController
class MyRouteController {

    private final MyRoute route;
    private final StopOutcomes outcomes;
    private final AuditLog auditLog;

    MyRouteController(MyRoute route, StopOutcomes outcomes, AuditLog auditLog) {
        this.route = route;
        this.outcomes = outcomes;
        this.auditLog = auditLog;
    }

    @GetMapping("/api/my/route")
    @Requires(Action.DELIVER)
    Mono<MyRoute.Route> route(@AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            MyRoute.Shown shown = route.today(user);
            auditLog.personsListed(user, "/api/my/route", shown.persons(), Purpose.DISPATCH);
            return shown.route();
        });
    }

    /**
     * Records what happened at a stop. 201 with the stored outcome; the same {@code key} sent again answers
     * the same outcome (201, header {@code Idempotent-Replayed: true}) and stores nothing.
     */
    @PostMapping("/api/my/route/stops/{stopId}")
    @Requires(Action.DELIVER)
    Mono<ResponseEntity<StopOutcomes.Outcome>> outcome(@PathVariable long stopId, @RequestBody StopOutcomes.NewOutcome outcome,
                                                       @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> outcomes.record(stopId, outcome, user)).map(r -> ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/my/route/stops/" + stopId))
                .header("Idempotent-Replayed", Boolean.toString(r.replayed()))
                .body(r.outcome()));
    }
}
