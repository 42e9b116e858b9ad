package org.caregrid.server.web;

import java.util.List;
import java.util.Locale;

import org.springframework.web.server.ServerWebExchange;

/**
 * The language of an answer: English when the caller's Accept-Language puts English first, else
 * zh-CN. Decided here rather than by the JVM's locale, which is en_US on many servers.
 */
public final class Language {

    public static final Locale DEFAULT = Locale.SIMPLIFIED_CHINESE;

    private Language() {
    }

    public static Locale of(ServerWebExchange exchange) {
        List<Locale> wanted;
        try {
            wanted = exchange.getRequest().getHeaders().getAcceptLanguageAsLocales();
        } catch (IllegalArgumentException malformed) {
            return DEFAULT;
        }
        return !wanted.isEmpty() && wanted.get(0).getLanguage().equals("en") ? Locale.ENGLISH : DEFAULT;
    }
}
