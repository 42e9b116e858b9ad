package org.caregrid.server.callout;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
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

/** Call-out of the reserve (社区呼叫、单位报到): create, show with ranked candidates, answers, close. */
@RestController
class CalloutController {

    static final int MAX_SKILLS = 20;
    static final int MAX_SKILL_LENGTH = 50;

    /** {@code gridId} or {@code areaCode}, not both; hours of duty, more than 0 and at most 24. */
    record NewCallout(Long gridId, String areaCode, Integer needed, List<String> skills, OffsetDateTime startsAt,
                      BigDecimal hours) {
    }

    record Response(Long personId, Boolean accept) {
    }

    record Closing(String reason) {
    }

    private final Callouts callouts;

    CalloutController(Callouts callouts) {
        this.callouts = callouts;
    }

    @PostMapping("/api/callouts")
    @Requires(Action.CALL_OUT)
    Mono<ResponseEntity<Callouts.Callout>> create(@RequestBody NewCallout body, @AuthenticationPrincipal CaregridUser user) {
        Callouts.Input input = validate(body);
        return Db.async(() -> callouts.create(input, user))
                .map(c -> Versions.created("/api/callouts/" + c.id(), c.version(), c));
    }

    /** @param status open, filled or closed; without it, the call-outs not closed */
    @GetMapping("/api/callouts")
    @Requires(Action.CALL_OUT)
    Mono<List<Callouts.Summary>> list(@RequestParam(required = false) String status) {
        return Db.async(() -> callouts.list(status));
    }

    @GetMapping("/api/callouts/{id}")
    @Requires(Action.CALL_OUT)
    Mono<ResponseEntity<Callouts.Callout>> show(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> callouts.show(id, user)).map(c -> Versions.current(c.version(), c));
    }

    /** One person's answer, recorded by the caller (who phoned them, or whom they reported to). */
    @PostMapping("/api/callouts/{id}/responses")
    @Requires(Action.CALL_OUT)
    Mono<ResponseEntity<Callouts.Callout>> respond(@PathVariable long id, @RequestBody Response body,
                                                   @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                   @AuthenticationPrincipal CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (body == null || body.personId() == null) {
            faults.add(new ApiException.FieldFault("personId", "error.required"));
        }
        if (body == null || body.accept() == null) {
            faults.add(new ApiException.FieldFault("accept", "error.required"));
        }
        if (!faults.isEmpty()) {
            return Mono.error(ApiException.invalid(faults));
        }
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> callouts.respond(id, body.personId(), body.accept(), version, user))
                .map(c -> Versions.current(c.version(), c));
    }

    @PostMapping("/api/callouts/{id}/close")
    @Requires(Action.CALL_OUT)
    Mono<ResponseEntity<Callouts.Callout>> close(@PathVariable long id, @RequestBody(required = false) Closing body,
                                                 @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                 @AuthenticationPrincipal CaregridUser user) {
        String reason = body == null ? null : body.reason();
        List<ApiException.FieldFault> faults = new ArrayList<>();
        TextInput.check("reason", reason, 500, faults);
        if (!faults.isEmpty()) {
            return Mono.error(ApiException.invalid(faults));
        }
        Integer version = Versions.ifMatch(ifMatch);
        return Db.async(() -> callouts.close(id, version, reason, user)).map(c -> Versions.current(c.version(), c));
    }

    static Callouts.Input validate(NewCallout body) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (body == null) {
            throw ApiException.invalid("gridId", "error.callout.place");
        }
        boolean hasArea = body.areaCode() != null && !body.areaCode().isBlank();
        if ((body.gridId() == null) == !hasArea) {
            faults.add(new ApiException.FieldFault("gridId", "error.callout.place"));
        }
        if (hasArea && !body.areaCode().matches("\\d{12}")) {
            faults.add(new ApiException.FieldFault("areaCode", "error.callout.areaCode", body.areaCode()));
        }
        if (body.needed() == null || body.needed() < 1 || body.needed() > 500) {
            faults.add(new ApiException.FieldFault("needed", "error.callout.needed", 500));
        }
        if (body.startsAt() == null) {
            faults.add(new ApiException.FieldFault("startsAt", "error.required"));
        }
        if (body.hours() == null || body.hours().signum() <= 0 || body.hours().compareTo(BigDecimal.valueOf(24)) > 0
                || body.hours().stripTrailingZeros().scale() > 2) {
            faults.add(new ApiException.FieldFault("hours", "error.callout.hours"));
        }
        List<String> skills = body.skills() == null ? List.of() : body.skills();
        if (skills.size() > MAX_SKILLS) {
            faults.add(new ApiException.FieldFault("skills", "error.callout.skills", MAX_SKILLS, MAX_SKILL_LENGTH));
        } else {
            for (String skill : skills) {
                if (skill == null || skill.isBlank() || skill.length() > MAX_SKILL_LENGTH) {
                    faults.add(new ApiException.FieldFault("skills", "error.callout.skills", MAX_SKILLS, MAX_SKILL_LENGTH));
                    break;
                }
            }
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return new Callouts.Input(body.gridId(), hasArea ? body.areaCode() : null, body.needed(),
                skills.stream().map(String::strip).distinct().toList(), body.startsAt(), body.hours());
    }
}
