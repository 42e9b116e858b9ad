package org.caregrid.server.security;

import java.util.List;

import org.caregrid.server.config.MapProperties;
import org.caregrid.server.db.Db;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Who is logged in, where they work, and how the map is set up: what the browser needs to start. */
@RestController
class MeController {

    private final JdbcClient jdbc;
    private final MapProperties map;

    MeController(JdbcClient jdbc, MapProperties map) {
        this.jdbc = jdbc;
        this.map = map;
    }

    /**
     * @param scopeType everywhere, area or grid
     * @param areaCode  the admin area of the scope, or the community of a grid
     */
    record Me(String username, String displayName, List<String> roles, String scopeType, String areaCode,
              Long gridId, String scopeName, Long personId, MapProperties map) {
    }

    @GetMapping("/api/me")
    @Requires(Action.READ_PLACES)
    Mono<Me> me(@AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> {
            String displayName = jdbc.sql("SELECT display_name FROM app_user WHERE id = :id").param("id", user.id())
                    .query(String.class).optional().orElse(null);
            List<String> roles = user.roles().stream().map(Enum::name).sorted().toList();
            AreaScope scope = user.scope();
            if (scope instanceof AreaScope.Grid grid) {
                String name = jdbc.sql("SELECT name FROM grid WHERE id = :id").param("id", grid.gridId())
                        .query(String.class).optional().orElse(null);
                return new Me(user.getUsername(), displayName, roles, "grid", grid.communityCode(), grid.gridId(), name, user.personId(), map);
            }
            if (scope instanceof AreaScope.Area area) {
                String name = jdbc.sql("SELECT name FROM admin_area WHERE code = :code").param("code", area.code())
                        .query(String.class).optional().orElse(null);
                return new Me(user.getUsername(), displayName, roles, "area", area.code(), null, name, user.personId(), map);
            }
            return new Me(user.getUsername(), displayName, roles, "everywhere", null, null, null, user.personId(), map);
        });
    }
}
