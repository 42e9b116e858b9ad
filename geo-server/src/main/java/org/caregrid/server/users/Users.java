package org.caregrid.server.users;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.PasswordChanger;
import org.caregrid.server.security.Role;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.ApiException.FieldFault;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The accounts: created, changed, disabled (never deleted: the history and the audit log name them),
 * passwords reset. An administrator scoped to an area manages only accounts inside it ({@link AdminReach})
 * and gives only scopes inside it. The database's history trigger records every change without the
 * password hash.
 */
@Component
class Users {

    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9_.-]{2,64}$");
    // no 0/O, 1/l/I: a one-time password is read off a screen and typed in by someone else
    private static final char[] PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int GENERATED_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String COLUMNS = """
            u.id, u.username, u.display_name, u.roles, u.scope_area_code, u.scope_grid_id, u.person_id, u.enabled,
            u.created_at, u.version
            """;

    record NewUser(String username, String displayName, List<String> roles, String scopeAreaCode, Long scopeGridId,
                   Long personId, String password, String reason) {
    }

    /**
     * A change; absent fields stay as they are. A scope given (an area or a grid) replaces the old one.
     * {@code resetPassword} makes a new one-time password; {@code password} sets a given one.
     */
    record UserChange(String displayName, List<String> roles, String scopeAreaCode, Long scopeGridId, Long personId,
                      Boolean enabled, Boolean resetPassword, String password, String reason) {
    }

    /** An account; {@code oneTimePassword} only in the answer that made it. Never a hash. */
    record User(long id, String username, String displayName, List<String> roles, String scopeAreaCode,
                Long scopeGridId, Long personId, boolean enabled, OffsetDateTime createdAt, int version,
                String oneTimePassword) {
        User withPassword(String password) {
            return new User(id, username, displayName, roles, scopeAreaCode, scopeGridId, personId, enabled, createdAt,
                    version, password);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PasswordEncoder encoder;

    Users(JdbcClient jdbc, TransactionTemplate transactions, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.encoder = encoder;
    }

    /** Blocking. The new account, with its one-time password when none was given. */
    User create(NewUser request, CaregridUser admin) {
        List<FieldFault> faults = new ArrayList<>();
        if (request.username() == null || request.username().isEmpty()) {
            faults.add(new FieldFault("username", "error.required"));
        } else if (!USERNAME.matcher(request.username()).matches()) {
            faults.add(new FieldFault("username", "error.user.username", request.username()));
        }
        Set<Role> roles = roles(request.roles(), faults);
        if (request.roles() == null) {
            faults.add(new FieldFault("roles", "error.required"));
        }
        TextInput.check("displayName", request.displayName(), 100, faults);
        TextInput.check("reason", request.reason(), 500, faults);
        if (request.password() != null && !PasswordChanger.acceptable(request.password())) {
            faults.add(new FieldFault("password", "error.user.password"));
        }
        checkScopeShape(roles, request.scopeAreaCode(), request.scopeGridId(), admin, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        String password = request.password() != null ? request.password() : generatePassword();
        String hash = encoder.encode(password);
        try {
            return transactions.execute(status -> {
                ChangeReason.set(jdbc, request.reason());
                checkPlaces(request.scopeAreaCode(), request.scopeGridId(), request.personId());
                boolean taken = jdbc.sql("SELECT EXISTS (SELECT 1 FROM app_user WHERE username = :u)")
                        .param("u", request.username()).query(Boolean.class).single();
                if (taken) {
                    throw ApiException.invalid("username", "error.user.taken", request.username());
                }
                long id = jdbc.sql("""
                                INSERT INTO app_user (username, display_name, password_hash, roles, scope_area_code,
                                                      scope_grid_id, person_id)
                                VALUES (:u, :name, :hash, CAST(:roles AS text[]), :area, :grid, :person) RETURNING id
                                """)
                        .param("u", request.username()).param("name", blankToNull(request.displayName()))
                        .param("hash", hash).param("roles", roleArray(roles)).param("area", request.scopeAreaCode())
                        .param("grid", request.scopeGridId()).param("person", request.personId())
                        .query(Long.class).single();
                User created = findById(id);
                return request.password() == null ? created.withPassword(password) : created;
            });
        } catch (DataIntegrityViolationException e) {
            throw constraintFault(e);
        }
    }

    /** Blocking. 412 when {@code expectedVersion} is stale; 404 for an account the admin does not manage. */
    User change(String username, UserChange change, Integer expectedVersion, CaregridUser admin) {
        User current = find(username, admin);
        List<FieldFault> faults = new ArrayList<>();
        Set<Role> roles = change.roles() == null ? parse(current.roles()) : roles(change.roles(), faults);
        boolean newScope = change.scopeAreaCode() != null || change.scopeGridId() != null;
        String area = newScope ? change.scopeAreaCode() : current.scopeAreaCode();
        Long grid = newScope ? change.scopeGridId() : current.scopeGridId();
        TextInput.check("displayName", change.displayName(), 100, faults);
        TextInput.check("reason", change.reason(), 500, faults);
        if (change.password() != null && !PasswordChanger.acceptable(change.password())) {
            faults.add(new FieldFault("password", "error.user.password"));
        }
        if (change.password() != null && Boolean.TRUE.equals(change.resetPassword())) {
            faults.add(new FieldFault("resetPassword", "error.user.passwordTwice"));
        }
        // an administrator who locks themselves out needs SQL to get back in
        if (current.id() == admin.id()) {
            if (Boolean.FALSE.equals(change.enabled())) {
                faults.add(new FieldFault("enabled", "error.user.disableSelf"));
            }
            if (!roles.contains(Role.ADMIN)) {
                faults.add(new FieldFault("roles", "error.user.demoteSelf"));
            }
        }
        if (change.roles() != null || newScope) {
            checkScopeShape(roles, area, grid, admin, faults);
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        String password = Boolean.TRUE.equals(change.resetPassword()) ? generatePassword() : change.password();
        String hash = password == null ? null : encoder.encode(password);
        try {
            return transactions.execute(status -> {
                ChangeReason.set(jdbc, change.reason());
                checkPlaces(newScope ? area : null, newScope ? grid : null, change.personId());
                int updated = jdbc.sql("""
                                UPDATE app_user
                                   SET display_name = CASE WHEN CAST(:name AS text) IS NULL THEN display_name
                                                           ELSE nullif(btrim(:name), '') END,
                                       roles = CAST(:roles AS text[]),
                                       scope_area_code = :area, scope_grid_id = :grid,
                                       person_id = coalesce(CAST(:person AS bigint), person_id),
                                       enabled = coalesce(CAST(:enabled AS boolean), enabled),
                                       password_hash = coalesce(CAST(:hash AS text), password_hash)
                                 WHERE id = :id AND (CAST(:version AS integer) IS NULL OR version = :version)
                                """)
                        .param("name", change.displayName()).param("roles", roleArray(roles)).param("area", area)
                        .param("grid", grid).param("person", change.personId()).param("enabled", change.enabled())
                        .param("hash", hash).param("id", current.id()).param("version", expectedVersion).update();
                if (updated == 0) {
                    throw Versions.stale(true, "error.user.notFound", username);
                }
                User changed = findById(current.id());
                return Boolean.TRUE.equals(change.resetPassword()) ? changed.withPassword(password) : changed;
            });
        } catch (DataIntegrityViolationException e) {
            throw constraintFault(e);
        }
    }

    /** Blocking. The accounts the admin manages, by name. */
    List<User> list(CaregridUser admin) {
        SqlPredicate reach = AdminReach.users(admin, "u");
        return reach.bind(jdbc.sql("SELECT " + COLUMNS + " FROM app_user u WHERE " + reach.sql() + " ORDER BY u.username"))
                .query((rs, n) -> toUser(rs)).list();
    }

    /** Blocking. */
    User find(String username, CaregridUser admin) {
        SqlPredicate reach = AdminReach.users(admin, "u");
        return reach.bind(jdbc.sql("SELECT " + COLUMNS + " FROM app_user u WHERE u.username = :username AND " + reach.sql()))
                .param("username", username).query((rs, n) -> toUser(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.user.notFound", username));
    }

    private User findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user u WHERE u.id = :id").param("id", id)
                .query((rs, n) -> toUser(rs)).single();
    }

    private static Set<Role> roles(List<String> names, List<FieldFault> faults) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (names == null) {
            return roles;
        }
        if (names.isEmpty()) {
            faults.add(new FieldFault("roles", "error.user.noRole"));
        }
        for (String name : names) {
            try {
                roles.add(Role.valueOf(String.valueOf(name)));
            } catch (IllegalArgumentException e) {
                faults.add(new FieldFault("roles", "error.user.role", name,
                        String.join(", ", Arrays.stream(Role.values()).map(Enum::name).toList())));
            }
        }
        return roles;
    }

    private static Set<Role> parse(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(n -> roles.add(Role.valueOf(n)));
        return roles;
    }

    /**
     * The rules of app_user's CHECK constraints, said per field before the database says them at all:
     * one scope at most; a grid for a grid worker; a scope for everyone but an administrator. The
     * scope must lie inside the administrator's own.
     */
    private static void checkScopeShape(Set<Role> roles, String area, Long grid, CaregridUser admin, List<FieldFault> faults) {
        if (area != null && !area.matches("[0-9]{12}")) {
            faults.add(new FieldFault("scopeAreaCode", "error.area.code", area));
        }
        if (area != null && grid != null) {
            faults.add(new FieldFault("scopeGridId", "error.user.oneScope"));
        }
        if (roles.contains(Role.GRID_WORKER) && grid == null) {
            faults.add(new FieldFault("scopeGridId", "error.user.gridWorkerNeedsGrid"));
        } else if (area == null && grid == null && !roles.isEmpty()
                && (!roles.contains(Role.ADMIN) || !(admin.scope() instanceof AreaScope.Everywhere))) {
            // only an administrator may see everything, and only one who sees everything may make one
            faults.add(new FieldFault("scopeAreaCode", roles.contains(Role.ADMIN) ? "error.user.scopeOutside"
                    : "error.user.scopeRequired"));
        }
    }

    /** The scope and the person must exist where the administrator works (row-level security hides the rest). */
    private void checkPlaces(String area, Long grid, Long personId) {
        List<FieldFault> faults = new ArrayList<>();
        if (area != null && !jdbc.sql("SELECT EXISTS (SELECT 1 FROM admin_area WHERE code = :code AND caregrid_area_code_visible(code))")
                .param("code", area).query(Boolean.class).single()) {
            faults.add(new FieldFault("scopeAreaCode", "error.area.notFound", area));
        }
        if (grid != null && !jdbc.sql("SELECT EXISTS (SELECT 1 FROM grid WHERE id = :id AND caregrid_grid_visible(id))")
                .param("id", grid).query(Boolean.class).single()) {
            faults.add(new FieldFault("scopeGridId", "error.grid.notFound", grid));
        }
        if (personId != null && !jdbc.sql("SELECT EXISTS (SELECT 1 FROM person WHERE id = :id)")
                .param("id", personId).query(Boolean.class).single()) {
            faults.add(new FieldFault("personId", "error.user.person", personId));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
    }

    /** A constraint the checks above did not foresee (or a race on the user name): still a field's error. */
    private static ApiException constraintFault(DataIntegrityViolationException e) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        if (message.contains("app_user_username_key")) {
            return ApiException.invalid("username", "error.user.taken", "");
        }
        if (message.contains("username")) {
            return ApiException.invalid("username", "error.user.username", "");
        }
        if (message.contains("roles")) {
            return ApiException.invalid("roles", "error.user.noRole");
        }
        return ApiException.invalid("scopeAreaCode", "error.user.scopeRequired");
    }

    private static String generatePassword() {
        char[] password = new char[GENERATED_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = PASSWORD_ALPHABET[RANDOM.nextInt(PASSWORD_ALPHABET.length)];
        }
        return new String(password);
    }

    private static String[] roleArray(Set<Role> roles) {
        return roles.stream().map(Enum::name).toArray(String[]::new);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static User toUser(ResultSet rs) throws SQLException {
        List<String> roles = Arrays.asList((String[]) rs.getArray("roles").getArray());
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"), roles,
                rs.getString("scope_area_code"), (Long) rs.getObject("scope_grid_id"), (Long) rs.getObject("person_id"),
                rs.getBoolean("enabled"), rs.getObject("created_at", OffsetDateTime.class), rs.getInt("version"), null);
    }
}
