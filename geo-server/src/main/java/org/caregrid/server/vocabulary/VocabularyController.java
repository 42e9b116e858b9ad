package org.caregrid.server.vocabulary;

import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.caregrid.server.web.Language;
import org.springframework.context.MessageSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** Every domain list with its labels, so that forms and legends need no copy of them. */
@RestController
class VocabularyController {

    private final MessageSource messages;

    VocabularyController(MessageSource messages) {
        this.messages = messages;
    }

    record Term(String code, String label) {
    }

    /** {@code {"needs": [{"code": "medicine_delivery", "label": "送药到户"}, ...], "categories": ..., ...}} */
    @GetMapping("/api/vocabulary")
    @Requires(Action.READ_PLACES)
    Map<String, List<Term>> vocabulary(ServerWebExchange exchange) {
        Locale locale = Language.of(exchange);
        Map<String, List<Term>> lists = new LinkedHashMap<>();
        Arrays.stream(Vocabulary.values()).forEach(v -> lists.put(v.key(), v.codes().stream()
                .map(code -> new Term(code, messages.getMessage(v.messageKey(code), null, locale)))
                .toList()));
        return lists;
    }
}
