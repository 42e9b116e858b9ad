package org.caregrid.server.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The log-in page lives in web-map as a static file; Spring Security expects it at /login. */
@Configuration(proxyBeanMethods = false)
class Pages {

    @Bean
    RouterFunction<ServerResponse> loginPage(@Value("classpath:/META-INF/resources/login.html") Resource login) {
        return RouterFunctions.route()
                .GET("/login", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(login))
                .build();
    }
}
