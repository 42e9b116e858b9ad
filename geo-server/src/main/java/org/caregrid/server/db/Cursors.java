package org.caregrid.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * A query's rows one at a time, for answers too long to hold (the export of a whole list): the driver fetches
 * {@link #FETCH_SIZE} rows at a time from a server-side cursor. PostgreSQL keeps a cursor only inside a
 * transaction, so the rows are read in one read-only transaction on a connection of their own; it is checked
 * out on the calling thread and so carries that thread's {@link DbSession}, and row-level security limits the
 * rows to the caller's scope as it does every other query. Blocking: call it inside {@link Db#async} or
 * {@link Db#streamed}.
 */
@Component
public class Cursors {

    /** Rows per round trip: a few hundred kilobytes of a list, whatever its length. */
    static final int FETCH_SIZE = 1000;

    private final DataSource dataSource;

    Cursors(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Hands each row of {@code sql} (named parameters) to {@code each} as it is read; answers how many there were. */
    public <T> long forEach(String sql, Map<String, ?> params, RowMapper<T> mapper, Consumer<T> each) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                JdbcTemplate template = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
                template.setFetchSize(FETCH_SIZE);
                long count = 0;
                try (Stream<T> rows = new NamedParameterJdbcTemplate(template).queryForStream(sql, params, mapper)) {
                    for (Iterator<T> it = rows.iterator(); it.hasNext(); count++) {
                        each.accept(it.next());
                    }
                }
                connection.commit();
                return count;
            } catch (RuntimeException | Error e) {
                // a client that went away mid-download ends up here too: nothing was written, so nothing to keep
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Could not read a list through a cursor: " + e.getMessage(), e);
        }
    }
}
