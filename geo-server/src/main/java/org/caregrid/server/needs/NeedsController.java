package org.caregrid.server.needs;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
import org.caregrid.server.web.Versions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The needs list (需求清单) and its moves. The list names persons, so it is READ_NAMES: planners are refused
 * in words and read the needs-open metric instead (counts per grid, rolled up). See {@link Needs}.
 */
@RestController
class NeedsController {

    private final Needs needs;
    private final Matches matches;

    NeedsController(Needs needs, Matches matches) {
        this.needs = needs;
        this.matches = matches;
    }

    /** @param area an admin area's code: only needs of persons living in it; @param person one person's needs */
    @GetMapping("/api/needs")
    @Requires(Action.READ_NAMES)
    Mono<Needs.Page> list(@RequestParam(required = false) String status, @RequestParam(required = false) String kind,
                          @RequestParam(required = false) String area, @RequestParam(required = false) Long person,
                          @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
                          @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> needs.list(new Needs.Filter(status, kind, area, person, page, size), user));
    }

    @GetMapping("/api/needs/{id}/matches")
    @Requires(Action.WORK_NEEDS)
    Mono<Matches.Ranking> matches(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> matches.rank(id, user));
    }

    record Take(Long supplyId, String note) {
    }

    record Note(String note) {
    }

    /** 接单: the need is taken for a supply, by its supplier or on their behalf. */
    @PostMapping("/api/needs/{id}/take")
    @Requires(Action.WORK_NEEDS)
    Mono<ResponseEntity<Needs.Need>> take(@PathVariable long id, @RequestBody Take take,
                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                          @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> needs.take(id, take.supplyId(), take.note(), version, user))
                .map(n -> Versions.current(n.version(), n));
    }

    @PostMapping("/api/needs/{id}/done")
    @Requires(Action.WORK_NEEDS)
    Mono<ResponseEntity<Needs.Need>> done(@PathVariable long id, @RequestBody(required = false) Note note,
                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                          @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> needs.done(id, note == null ? null : note.note(), version, user))
                .map(n -> Versions.current(n.version(), n));
    }

    /** 上报: passed up to the street, with a note saying why the community cannot meet it. */
    @PostMapping("/api/needs/{id}/escalate")
    @Requires(Action.WORK_NEEDS)
    Mono<ResponseEntity<Needs.Need>> escalate(@PathVariable long id, @RequestBody Note note,
                                              @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                              @AuthenticationPrincipal CaregridUser user) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> needs.escalate(id, note.note(), version, user))
                .map(n -> Versions.current(n.version(), n));
    }
}
