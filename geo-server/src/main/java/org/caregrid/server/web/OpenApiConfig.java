package org.caregrid.server.web;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at /v3/api-docs: springdoc reads the controllers; this adds what it cannot
 * see there: how to log in, and that every error is an RFC 9457 problem (application/problem+json).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String PROBLEM_TYPE = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    /** The answers any /api call may give besides its own, and why. */
    private static final Map<String, String> PROBLEMS = new TreeMap<>(Map.of(
            "400", "The request is malformed or a value is out of range",
            "401", "Not logged in",
            "403", "The caller's role or area of work does not allow it",
            "404", "Nothing of that id in the caller's area of work"));

    /** RFC 9457 problem details as the advice writes them. */
    private static Schema<?> problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema())
                .addProperty("message", new StringSchema());
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details; words in zh-CN, or English for Accept-Language: en")
                .addProperty("type", new StringSchema().format("uri").description("what kind of problem"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty("errors", new ArraySchema().items(fieldError).description("one per invalid field"));
        return problem;
    }

    @Bean
    OpenAPI caregridOpenApi() {
        return new OpenAPI()
                .info(new Info().title("caregrid API").version("1")
                        .description("Community care grids: areas, buildings, key persons, coverage, dispatch, routing. "
                                + "JSON properties are camelCase; see docs/api.md."))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("session", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.COOKIE).name("SESSION")))
                .security(List.of(new SecurityRequirement().addList("basic"), new SecurityRequirement().addList("session")));
    }

    /**
     * Every operation answers its errors as problems. The schema is added here, not in the bean above:
     * springdoc drops schemas that nothing refers to before the customizers run.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> {
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            api.getComponents().addSchemas("Problem", problemSchema());
            api.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    PROBLEMS.forEach((status, why) -> {
                        if (operation.getResponses().get(status) == null) {
                            operation.getResponses().addApiResponse(status, new ApiResponse().description(why)
                                    .content(new Content().addMediaType(PROBLEM_TYPE,
                                            new MediaType().schema(new Schema<>().$ref(PROBLEM_REF)))));
                        }
                    })));
        };
    }
}
