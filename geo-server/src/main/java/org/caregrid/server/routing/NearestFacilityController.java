package org.caregrid.server.routing;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
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
    @Requires(Action.ADMINISTER)
    Mono<ResponsibleWalkRefresher.Outcome> refreshWalks(@AuthenticationPrincipal CaregridUser user) {
        return Db.async(walks::refresh);
    }

    @PostMapping("/api/routing/nearest/refresh")
    @Requires(Action.ADMINISTER)
    Mono<NearestFacilityRefresher.Outcome> refresh(@AuthenticationPrincipal CaregridUser user) {
        return Db.async(refresher::refresh);
    }
}
