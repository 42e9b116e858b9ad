package org.caregrid.server.needs;

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

/** The supply list (供给清单). See {@link Supplies}. */
@RestController
class SupplyController {

    private final Supplies supplies;

    SupplyController(Supplies supplies) {
        this.supplies = supplies;
    }

    @PostMapping("/api/supplies")
    @Requires(Action.KEEP_SUPPLY)
    Mono<ResponseEntity<Supplies.Supply>> publish(@RequestBody Supplies.NewSupply supply,
                                                  @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> supplies.publish(supply, user))
                .map(s -> Versions.created("/api/supplies/" + s.id(), s.version(), s));
    }

    /** Changes capacity, times or note, or ends the supply ({@code endedOn}); nothing is deleted. */
    @PatchMapping("/api/supplies/{id}")
    @Requires(Action.KEEP_SUPPLY)
    Mono<ResponseEntity<Supplies.Supply>> change(@PathVariable long id, @RequestBody Supplies.SupplyChange change,
                                                 @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                 @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> supplies.change(id, change, version, user)).map(s -> Versions.current(s.version(), s));
    }

    @GetMapping("/api/supplies/{id}")
    @Requires(Action.READ_PLACES)
    Mono<ResponseEntity<Supplies.Supply>> one(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> supplies.find(id, user)).map(s -> Versions.current(s.version(), s));
    }

    /** @param area supplies serving any part of this admin area; @param all ended ones too */
    @GetMapping("/api/supplies")
    @Requires(Action.READ_PLACES)
    Mono<List<Supplies.Supply>> list(@RequestParam(required = false) String kind,
                                     @RequestParam(required = false) String area,
                                     @RequestParam(defaultValue = "false") boolean all,
                                     @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> supplies.list(kind, area, !all, user));
    }
}
