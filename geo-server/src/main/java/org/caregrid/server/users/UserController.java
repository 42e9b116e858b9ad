package org.caregrid.server.users;

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
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The administrator's accounts: create, change, disable, reset a password. See {@link Users}. */
@RestController
class UserController {

    private final Users users;

    UserController(Users users) {
        this.users = users;
    }

    @PostMapping("/api/users")
    @Requires(Action.ADMINISTER)
    Mono<ResponseEntity<Users.User>> create(@RequestBody Users.NewUser request, @AuthenticationPrincipal CaregridUser admin) {
        return Db.async(() -> users.create(request, admin)).map(u -> Versions.created("/api/users/" + u.username(), u.version(), u));
    }

    @PatchMapping("/api/users/{username}")
    @Requires(Action.ADMINISTER)
    Mono<ResponseEntity<Users.User>> change(@PathVariable String username, @RequestBody Users.UserChange change,
                                            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @AuthenticationPrincipal CaregridUser admin) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> users.change(username, change, version, admin))
                .map(u -> Versions.current(u.version(), u));
    }

    @GetMapping("/api/users/{username}")
    @Requires(Action.ADMINISTER)
    Mono<ResponseEntity<Users.User>> one(@PathVariable String username, @AuthenticationPrincipal CaregridUser admin) {
        return Db.async(() -> users.find(username, admin))
                .map(u -> Versions.current(u.version(), u));
    }

    @GetMapping("/api/users")
    @Requires(Action.ADMINISTER)
    Mono<List<Users.User>> list(@AuthenticationPrincipal CaregridUser admin) {
        return Db.async(() -> users.list(admin));
    }
}
