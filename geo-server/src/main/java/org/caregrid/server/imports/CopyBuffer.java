package org.caregrid.server.imports;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Rows for one staging table in PostgreSQL's COPY text format. A connection runs only one COPY at a time, so rows
 * are buffered per table and sent as a COPY of their own whenever a buffer fills, never interleaved.
 */
final class CopyBuffer {

    private static final int FLUSH_AT = 1 << 20;

    private final CopyManager copy;
    private final String table;
    private final StringBuilder rows = new StringBuilder(FLUSH_AT + 4096);
    private long count;

    CopyBuffer(CopyManager copy, String table) {
        this.copy = copy;
        this.table = table;
    }

    void row(Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                rows.append('\t');
            }
            append(values[i]);
        }
        rows.append('\n');
        count++;
        if (rows.length() >= FLUSH_AT) {
            flush();
        }
    }

    long count() {
        return count;
    }

    void flush() throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        rows.setLength(0);
        CopyIn in = copy.copyIn("COPY " + table + " FROM STDIN");
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void append(Object value) {
        if (value == null) {
            rows.append("\\N");
            return;
        }
        String text = value.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
    }
}
