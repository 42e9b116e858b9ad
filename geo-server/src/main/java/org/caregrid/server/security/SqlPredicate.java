package org.caregrid.server.security;

import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/** A WHERE-clause fragment with its named parameters. */
public record SqlPredicate(String sql, Map<String, Object> params) {

    public static final SqlPredicate TRUE = new SqlPredicate("TRUE", Map.of());

    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        return statement.params(params);
    }
}
