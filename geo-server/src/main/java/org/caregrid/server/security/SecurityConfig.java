package org.caregrid.server.security;

import java.net.URI;

import org.caregrid.server.config.MapProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.WebSessionServerLogoutHandler;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browsers log in with a form and keep a session; scripts send HTTP Basic or a personal access token
 * ({@code Authorization: Bearer cg_…}, {@link BearerTokens}) on each call.
 * Every {@code /api/**} call needs a log-in and answers 401 without one (no redirect, no
 * browser pop-up); pages redirect to the log-in page.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        // {bcrypt} by default, and still able to check hashes of other kinds if ever migrated
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsRepositoryReactiveAuthenticationManager authenticationManager(
            UserDetailsRepository users, PasswordEncoder passwordEncoder) {
        var manager = new UserDetailsRepositoryReactiveAuthenticationManager(users);
        manager.setPasswordEncoder(passwordEncoder);
        return manager;
    }

    /**
     * Scripts only from caregrid itself, so that a name that slips into the page as markup still
     * runs nothing; images also from the configured tile server, which the service worker (sw.js,
     * under this same policy) also fetches to keep the tiles for offline use.
     */
    static String contentSecurityPolicy(MapProperties map) {
        String tiles = "";
        java.util.regex.Matcher origin = java.util.regex.Pattern.compile("^(https?)://([^/:?#]+)(:\\d+)?")
                .matcher(map.tileUrl());
        if (origin.find()) {
            // a label with a placeholder ({s} for the server letter) becomes a wildcard
            String host = java.util.Arrays.stream(origin.group(2).split("\\."))
                    .map(label -> label.contains("{") ? "*" : label)
                    .collect(java.util.stream.Collectors.joining("."));
            tiles = " " + origin.group(1) + "://" + host + (origin.group(3) == null ? "" : origin.group(3));
        }
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:"
                + tiles + "; connect-src 'self'" + tiles + "; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http,
                                                  UserDetailsRepositoryReactiveAuthenticationManager authenticationManager,
                                                  MapProperties map, BearerTokens tokens, MessageSource messages,
                                                  JsonMapper json, LoginThrottle throttle) {
        // GIS clients (QGIS, GDAL) call /ogc/** with HTTP Basic or a token: 401 there too, never the log-in page
        ServerWebExchangeMatcher api = new OrServerWebExchangeMatcher(
                new PathPatternParserServerWebExchangeMatcher("/api/**"),
                new PathPatternParserServerWebExchangeMatcher("/ogc/**"),
                new PathPatternParserServerWebExchangeMatcher("/ogc"));
        var unauthorized = new HttpStatusServerEntryPoint(HttpStatus.UNAUTHORIZED);
        var entryPoint = new DelegatingServerAuthenticationEntryPoint(
                new DelegatingServerAuthenticationEntryPoint.DelegateEntry(api, unauthorized));
        entryPoint.setDefaultEntryPoint(new RedirectServerAuthenticationEntryPoint("/login"));

        var logoutSuccess = new RedirectServerLogoutSuccessHandler();
        logoutSuccess.setLogoutSuccessUrl(URI.create("/login?logout"));

        // stateless: the token is checked on every request and never starts a session
        // every log-in is throttled per user name and per address; a locked one answers 429 (LoginThrottle)
        var locked = new LockedProblem(messages, json);
        var bearer = new AuthenticationWebFilter(throttle.guard(tokens.authenticationManager()));
        bearer.setServerAuthenticationConverter(tokens::convert);
        bearer.setAuthenticationFailureHandler(locked.orElse(new ServerAuthenticationEntryPointFailureHandler(
                new UnauthorizedProblem(messages, json))));

        return http
                .authenticationManager(throttle.guard(authenticationManager))
                .addFilterAt(bearer, SecurityWebFiltersOrder.HTTP_BASIC)
                .authorizeExchange(exchange -> exchange
                        // the Swagger UI (springdoc) is for administrators; /v3/api-docs for anyone logged in
                        .pathMatchers("/swagger-ui.html", "/swagger-ui/**", "/webjars/swagger-ui/**").hasRole(Role.ADMIN.name())
                        // the service worker and the manifest hold no data; the manifest is fetched without cookies
                        .pathMatchers("/login", "/login.html", "/css/**", "/js/**", "/i18n/**", "/img/**",
                                "/webjars/**", "/favicon.ico", "/sw.js", "/manifest.json").permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyExchange().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized)
                        .authenticationFailureHandler(locked.orElse(new ServerAuthenticationEntryPointFailureHandler(unauthorized))))
                .formLogin(form -> form
                        .loginPage("/login")
                        .authenticationEntryPoint(entryPoint)
                        .authenticationFailureHandler(locked.orElse(new RedirectServerAuthenticationFailureHandler("/login?error"))))
                // log-out ends the session itself (its row in web_session), not only the log-in it carried, on every server
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessHandler(logoutSuccess)
                        .logoutHandler(new DelegatingServerLogoutHandler(new SecurityContextServerLogoutHandler(),
                                new WebSessionServerLogoutHandler())))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(map))))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(entryPoint))
                .csrf(csrf -> csrf
                        // The page's scripts read the token from the cookie and echo it in X-XSRF-TOKEN.
                        .csrfTokenRepository(CookieServerCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(exchange -> needsCsrfToken(exchange, tokens)))
                .build();
    }

    /**
     * Scripts that send credentials on every call carry no cookie to forge, so Basic and a live bearer
     * token need no CSRF token. The CSRF check runs before the log-in filters, so the bearer token is
     * looked up here already: any other Authorization header (a stray or revoked "Bearer x") must not
     * exempt a browser session that rides along on its cookie.
     */
    private static Mono<ServerWebExchangeMatcher.MatchResult> needsCsrfToken(
            org.springframework.web.server.ServerWebExchange exchange, BearerTokens tokens) {
        if (!isStateChanging(exchange.getRequest().getMethod().name())) {
            return ServerWebExchangeMatcher.MatchResult.notMatch();
        }
        String authorization = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (sendsBasicCredentials(authorization)) {
            return ServerWebExchangeMatcher.MatchResult.notMatch();
        }
        String token = BearerTokens.bearer(authorization);
        if (token == null) {
            return ServerWebExchangeMatcher.MatchResult.match();
        }
        return tokens.userOf(token).flatMap(user -> user.isPresent()
                ? ServerWebExchangeMatcher.MatchResult.notMatch()
                : ServerWebExchangeMatcher.MatchResult.match());
    }

    /** Basic credentials are checked on the request itself: a wrong one is a 401, never the session's rights. */
    static boolean sendsBasicCredentials(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    private static boolean isStateChanging(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE"));
    }

    /** The CSRF token is made lazily; subscribing to it here writes the cookie on every page load. */
    @Bean
    WebFilter csrfCookieWriter() {
        return (exchange, chain) -> {
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            return (token != null ? token.then() : Mono.<Void>empty()).then(chain.filter(exchange));
        };
    }
}
