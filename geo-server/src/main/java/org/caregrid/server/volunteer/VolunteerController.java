package org.caregrid.server.volunteer;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.Requires;
import org.caregrid.server.web.Versions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Registering volunteers and keeping their record. See {@link Volunteers}. */
@RestController
class VolunteerController {

    private final Volunteers volunteers;

    VolunteerController(Volunteers volunteers) {
        this.volunteers = volunteers;
    }

    @PostMapping("/api/volunteers")
    @Requires(Action.KEEP_VOLUNTEERS)
    Mono<ResponseEntity<Volunteers.Volunteer>> register(@RequestBody Volunteers.NewVolunteer volunteer) {
        return Db.async(() -> volunteers.register(volunteer))
                .map(v -> Versions.created("/api/volunteers/" + v.personId(), v.version(), v));
    }

    @PatchMapping("/api/volunteers/{personId}")
    @Requires(Action.KEEP_VOLUNTEERS)
    Mono<ResponseEntity<Volunteers.Volunteer>> change(@PathVariable long personId,
                                                      @RequestBody Volunteers.VolunteerChange change,
                                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> volunteers.change(personId, change, version))
                .map(v -> Versions.current(v.version(), v));
    }

    @GetMapping("/api/volunteers/{personId}")
    @Requires(Action.KEEP_VOLUNTEERS)
    Mono<ResponseEntity<Volunteers.Volunteer>> one(@PathVariable long personId) {
        return Db.async(() -> volunteers.find(personId)).map(v -> Versions.current(v.version(), v));
    }
}
