package org.caregrid.server.people;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
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

/**
 * The person register and key-person profiles: search, register, edit, move house, close and reopen.
 * See {@link Registers} and {@link Closings}.
 */
@RestController
class RegisterController {

    private final Registers registers;
    private final Closings closings;
    private final PersonSearch search;
    private final AuditLog auditLog;

    RegisterController(Registers registers, Closings closings, PersonSearch search, AuditLog auditLog) {
        this.registers = registers;
        this.closings = closings;
        this.search = search;
        this.auditLog = auditLog;
    }

    @GetMapping("/api/persons")
    @Requires(Action.READ_NAMES)
    Mono<PersonSearch.Page> search(@RequestParam(required = false) String q,
                                   @RequestParam(required = false) Long building,
                                   @RequestParam(required = false) Long unit,
                                   @RequestParam(required = false) Long grid,
                                   @RequestParam(defaultValue = "false") boolean keyOnly,
                                   @RequestParam(defaultValue = "false") boolean includeClosed,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "50") int size,
                                   @AuthenticationPrincipal CaregridUser user) {
        if (page < 0 || page > 100_000) {
            throw ApiException.invalid("page", "error.range", 0, 100_000, page);
        }
        if (size < 1 || size > 500) {
            throw ApiException.invalid("size", "error.range", 1, 500, size);
        }
        if (q != null && q.length() > 100) {
            throw ApiException.invalid("q", "error.text.tooLong", 100, q.length());
        }
        return Db.async(() -> {
            PersonSearch.Page found = search.search(user, q, building, unit, grid, keyOnly, includeClosed, page, size);
            auditLog.personsListed(user, "GET /api/persons", found.items().stream().map(PersonSearch.Found::id).toList(),
                    Purpose.VISIT);
            return found;
        });
    }

    @PostMapping("/api/persons")
    @Requires(Action.REGISTER)
    Mono<ResponseEntity<Registers.Saved>> register(@RequestBody Registers.NewPerson person) {
        return Db.async(() -> registers.register(person))
                .map(saved -> Versions.created("/api/persons/" + saved.id(), saved.version(), saved));
    }

    @PatchMapping("/api/persons/{id}")
    @Requires(Action.REGISTER)
    Mono<ResponseEntity<Registers.Saved>> change(@PathVariable long id, @RequestBody Registers.PersonChange change,
                                                 @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> registers.change(id, change, version))
                .map(saved -> Versions.current(saved.version(), saved));
    }

    @PostMapping("/api/persons/{id}/close")
    @Requires(Action.REGISTER)
    Mono<ResponseEntity<Closings.Closed>> close(@PathVariable long id, @RequestBody Closings.Closing closing,
                                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> closings.close(id, closing, version))
                .map(closed -> Versions.current(closed.version(), closed));
    }

    @PostMapping("/api/persons/{id}/reopen")
    @Requires(Action.REGISTER)
    Mono<ResponseEntity<Closings.Closed>> reopen(@PathVariable long id, @RequestBody Closings.Reopening reopening,
                                                 @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> closings.reopen(id, reopening, version))
                .map(closed -> Versions.current(closed.version(), closed));
    }

    @PostMapping("/api/key-persons")
    @Requires(Action.REGISTER)
    Mono<ResponseEntity<Registers.Saved>> addProfile(@RequestBody Registers.KeyProfile profile) {
        return Db.async(() -> registers.addProfile(profile))
                .map(saved -> Versions.created("/api/persons/" + saved.id(), saved.version(), saved));
    }

    @PatchMapping("/api/key-persons/{personId}")
    @Requires(Action.REGISTER)
    Mono<ResponseEntity<Registers.Saved>> changeProfile(@PathVariable long personId, @RequestBody Registers.KeyProfile profile,
                                                        @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> registers.changeProfile(personId, profile, version))
                .map(saved -> Versions.current(saved.version(), saved));
    }
}
