package org.caregrid.server.emergency;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The emergency transfer (急诊转运): the nearest suitable hospital by car for a person, with the route. */
@RestController
class EmergencyController {

    private final EmergencyTransfers transfers;

    EmergencyController(EmergencyTransfers transfers) {
        this.transfers = transfers;
    }

    /** @param personId a person in the caller's scope (404 otherwise); the hospital may lie outside it */
    @GetMapping("/api/emergency/hospital")
    @Requires(Action.EMERGENCY_TRANSFER)
    Mono<EmergencyTransfers.Transfer> hospital(@RequestParam long personId,
                                               @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> transfers.nearestHospital(personId, user));
    }
}
