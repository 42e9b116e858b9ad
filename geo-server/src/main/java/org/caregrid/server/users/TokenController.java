package org.caregrid.server.users;

import java.net.URI;
import java.util.List;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Personal access tokens for scripts and GIS clients. See {@link ApiTokens}. */
@RestController
class TokenController {

    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/api/tokens")
    @Requires(Action.OWN_ACCOUNT)
    Mono<ResponseEntity<ApiTokens.CreatedToken>> create(@RequestBody ApiTokens.NewToken request,
                                                        @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> tokens.create(request, user))
                .map(t -> ResponseEntity.created(URI.create("/api/tokens/" + t.id())).body(t));
    }

    @GetMapping("/api/tokens")
    @Requires(Action.OWN_ACCOUNT)
    Mono<List<ApiTokens.Token>> list(@AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> tokens.list(user));
    }

    @DeleteMapping("/api/tokens/{id}")
    @Requires(Action.OWN_ACCOUNT)
    Mono<ApiTokens.Token> revoke(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> tokens.revoke(id, user));
    }
}
