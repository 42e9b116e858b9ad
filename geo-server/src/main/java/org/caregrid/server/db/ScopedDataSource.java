package org.caregrid.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The server's pool, as seen by row-level security: every connection it hands out first carries the
 * current thread's {@link DbSession} as {@code caregrid.*} settings. Each checkout overwrites all of
 * them, so nothing of one caller's scope survives into the next caller's use of the connection.
 */
public class ScopedDataSource extends DelegatingDataSource {

    private static final String APPLY = """
            SELECT set_config('caregrid.scope_kind', ?, false), set_config('caregrid.scope_prefix', ?, false),
                   set_config('caregrid.scope_grid', ?, false), set_config('caregrid.own_only', ?, false),
                   set_config('caregrid.person', ?, false), set_config('caregrid.admin', ?, false),
                   set_config('caregrid.today', ?, false), set_config('caregrid.user', ?, false),
                   set_config('caregrid.reason', '', false), set_config('application_name', ?, false)
            """;

    private final Supplier<String> today;
    // what each physical connection carries now, so that a repeated checkout costs no round trip
    private final Map<Connection, String> applied = new WeakHashMap<>();

    public ScopedDataSource(DataSource pool, Supplier<String> today) {
        super(pool);
        this.today = today;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = super.getConnection();
        try {
            apply(connection, DbSession.current());
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void apply(Connection connection, DbSession session) throws SQLException {
        String[] values = {session.scopeKind(), Objects.toString(session.scopePrefix(), ""),
                Objects.toString(session.scopeGrid(), ""), session.ownOnly() ? "on" : "off",
                Objects.toString(session.personId(), ""), session.admin() ? "on" : "off", today.get(),
                session.username(), "caregrid:" + session.username()};
        String key = String.join("|", values);
        Connection physical = connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
        synchronized (applied) {
            if (key.equals(applied.get(physical))) {
                return;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(APPLY)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.execute();
        }
        synchronized (applied) {
            applied.put(physical, key);
        }
    }
}
