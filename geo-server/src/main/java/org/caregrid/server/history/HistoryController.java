package org.caregrid.server.history;

import java.util.List;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Requires;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/history?entity=assignment&id=N}: a record's changes, newest first. */
@RestController
class HistoryController {

    private final ChangeHistory history;

    HistoryController(ChangeHistory history) {
        this.history = history;
    }

    @GetMapping("/api/history")
    @Requires(Action.READ_AGGREGATE)
    Mono<List<ChangeHistory.Change>> history(@RequestParam String entity, @RequestParam long id,
                                             @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> history.of(user, entity, id));
    }
}
