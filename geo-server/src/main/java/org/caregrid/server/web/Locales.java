package org.caregrid.server.web;

import java.util.List;
import java.util.Locale;

import org.springframework.http.server.reactive.ServerHttpRequest;

/** zh-CN unless the caller asks for English: the two languages caregrid speaks. */
public final class Locales {

    public static final Locale DEFAULT = Locale.SIMPLIFIED_CHINESE;

    private Locales() {
    }

    public static Locale of(ServerHttpRequest request) {
        List<Locale> wanted;
        try {
            wanted = request.getHeaders().getAcceptLanguageAsLocales();
        } catch (IllegalArgumentException malformed) {
            return DEFAULT;
        }
        for (Locale locale : wanted) {
            if ("en".equals(locale.getLanguage())) {
                return Locale.ENGLISH;
            }
            if ("zh".equals(locale.getLanguage())) {
                return DEFAULT;
            }
        }
        return DEFAULT;
    }
}
