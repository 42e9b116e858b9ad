package org.caregrid.server.area;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The admin-area tree and single areas with their boundary, limited to the caller's scope. */
@RestController
class AreaController {

    private static final String AREAS_IN_SCOPE = """
            SELECT a.code, a.level, a.name, a.parent_code
              FROM admin_area a
             WHERE %s
             ORDER BY a.code
            """;

    private static final String GRIDS_IN_SCOPE = """
            SELECT g.id, g.code, g.name, g.community_code
              FROM grid g
             WHERE %s
             ORDER BY g.code
            """;

    private static final String AREA_WITH_GEOMETRY = """
            SELECT json_build_object(
                     'code', a.code, 'level', a.level, 'name', a.name, 'parentCode', a.parent_code,
                     'geometry', ST_AsGeoJSON(a.geom, 7)::json)::text
              FROM admin_area a
             WHERE a.code = :code AND %s
            """;

    private final JdbcClient jdbc;

    AreaController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record AreaNode(String code, String level, String name, List<AreaNode> children, List<GridRef> grids) {
    }

    record GridRef(long id, String code, String name) {
    }

    @GetMapping("/api/areas")
    @Requires(Action.READ_PLACES)
    Mono<List<AreaNode>> tree(@AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> buildTree(user));
    }

    private List<AreaNode> buildTree(CaregridUser user) {
        SqlPredicate areaScope = user.scope().areas("a.code");
        SqlPredicate gridScope = user.scope().grids("g.id", "g.community_code");
        Map<String, AreaNode> nodes = new LinkedHashMap<>();
        Map<String, String> parents = new LinkedHashMap<>();
        jdbc.sql(AREAS_IN_SCOPE.formatted(areaScope.sql())).params(areaScope.params()).query(rs -> {
            String code = rs.getString("code");
            nodes.put(code, new AreaNode(code, rs.getString("level"), rs.getString("name"), new ArrayList<>(), new ArrayList<>()));
            parents.put(code, rs.getString("parent_code"));
        });
        jdbc.sql(GRIDS_IN_SCOPE.formatted(gridScope.sql())).params(gridScope.params()).query(rs -> {
            AreaNode community = nodes.get(rs.getString("community_code"));
            if (community != null) {
                community.grids().add(new GridRef(rs.getLong("id"), rs.getString("code"), rs.getString("name")));
            }
        });
        List<AreaNode> roots = new ArrayList<>();
        nodes.forEach((code, node) -> {
            AreaNode parent = parents.get(code) == null ? null : nodes.get(parents.get(code));
            if (parent == null) {
                roots.add(node);
            } else {
                parent.children().add(node);
            }
        });
        return roots;
    }

    @GetMapping(value = "/api/areas/{code}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Requires(Action.READ_PLACES)
    Mono<String> area(@PathVariable String code, @AuthenticationPrincipal CaregridUser user) {
        if (!code.matches("[0-9]{12}")) {
            return Mono.error(ApiException.invalid("code", "error.area.code", code));
        }
        SqlPredicate scope = user.scope().areas("a.code");
        return Db.async(() -> jdbc.sql(AREA_WITH_GEOMETRY.formatted(scope.sql()))
                        .param("code", code).params(scope.params()).query(String.class).optional())
                .flatMap(found -> found.map(Mono::just).orElseGet(() -> Mono.error(
                        ApiException.notFound("error.area.notFound", code))));
    }
}
