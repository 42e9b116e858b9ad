package org.caregrid.server.organisation;

import java.util.List;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
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

/** Keeping the organisations of an area. See {@link Organisations}. */
@RestController
class OrganisationController {

    private final Organisations organisations;

    OrganisationController(Organisations organisations) {
        this.organisations = organisations;
    }

    @PostMapping("/api/organisations")
    @Requires(Action.KEEP_ORGANISATIONS)
    Mono<ResponseEntity<Organisations.Organisation>> register(@RequestBody Organisations.NewOrganisation organisation) {
        return Db.async(() -> organisations.register(organisation))
                .map(o -> Versions.created("/api/organisations/" + o.id(), o.version(), o));
    }

    @PatchMapping("/api/organisations/{id}")
    @Requires(Action.KEEP_ORGANISATIONS)
    Mono<ResponseEntity<Organisations.Organisation>> change(@PathVariable long id,
                                                            @RequestBody Organisations.OrganisationChange change,
                                                            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                            @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> organisations.change(id, change, version, user.scope()))
                .map(o -> Versions.current(o.version(), o));
    }

    @GetMapping("/api/organisations/{id}")
    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<Organisations.Organisation>> one(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> organisations.find(id, user.scope())).map(o -> Versions.current(o.version(), o));
    }

    /** @param area an admin area's code: only organisations in it (and below it) */
    @GetMapping("/api/organisations")
    @Requires(Action.READ_PLACES)
    Mono<List<Organisations.Organisation>> list(@RequestParam(required = false) String area,
                                                @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> organisations.list(area, user.scope()));
    }
}
