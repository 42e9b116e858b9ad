package org.caregrid.server.routing;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Role;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Recomputes what the coverage metrics take from the road network: every key person's nearest health
 * facility, and the walks to their responsible persons (administrators: it covers all areas).
 */
@RestController
class NearestFacilityController {

    private final NearestFacilityRefresher refresher;
    private final ResponsibleWalkRefresher walks;

    NearestFacilityController(NearestFacilityRefresher refresher, ResponsibleWalkRefresher walks) {
        this.refresher = refresher;
        this.walks = walks;
    }

    @PostMapping("/api/routing/responsible/refresh")
    Mono<ResponsibleWalkRefresher.Outcome> refreshWalks(@AuthenticationPrincipal CaregridUser user) {
        if (!user.has(Role.ADMIN)) {
            return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN, "Only an administrator can refresh"));
        }
        return Db.async(walks::refresh);
    }

    @PostMapping("/api/routing/nearest/refresh")
    Mono<NearestFacilityRefresher.Outcome> refresh(@AuthenticationPrincipal CaregridUser user) {
        if (!user.has(Role.ADMIN)) {
            return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN, "Only an administrator can refresh"));
        }
        return Db.async(refresher::refresh);
    }
}
