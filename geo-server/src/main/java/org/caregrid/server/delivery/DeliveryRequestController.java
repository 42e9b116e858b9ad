package org.caregrid.server.delivery;

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

/** Entering and cancelling medicine requests. See {@link DeliveryRequests}. */
@RestController
class DeliveryRequestController {

    private final DeliveryRequests requests;

    DeliveryRequestController(DeliveryRequests requests) {
        this.requests = requests;
    }

    @PostMapping("/api/delivery-requests")
    @Requires(Action.REQUEST_DELIVERY)
    Mono<ResponseEntity<DeliveryRequests.Request>> enter(@RequestBody DeliveryRequests.NewRequest request,
                                                         @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> requests.enter(request, user))
                .map(r -> Versions.created("/api/delivery-requests/" + r.id(), r.version(), r));
    }

    @PatchMapping("/api/delivery-requests/{id}")
    @Requires(Action.REQUEST_DELIVERY)
    Mono<ResponseEntity<DeliveryRequests.Request>> change(@PathVariable long id,
                                                          @RequestBody DeliveryRequests.RequestChange change,
                                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> requests.change(id, change, version))
                .map(r -> Versions.current(r.version(), r));
    }

    @GetMapping("/api/delivery-requests")
    @Requires(Action.REQUEST_DELIVERY)
    Mono<List<DeliveryRequests.Request>> forKeyPerson(@RequestParam long keyPerson,
                                                       @RequestParam(defaultValue = "false") boolean open) {
        return Db.async(() -> requests.forKeyPerson(keyPerson, open));
    }

    @GetMapping("/api/delivery-requests/{id}")
    @Requires(Action.REQUEST_DELIVERY)
    Mono<ResponseEntity<DeliveryRequests.Request>> one(@PathVariable long id) {
        return Db.async(() -> requests.find(id)).map(r -> Versions.current(r.version(), r));
    }
}
