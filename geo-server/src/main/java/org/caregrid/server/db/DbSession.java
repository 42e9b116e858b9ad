package org.caregrid.server.db;

import java.util.concurrent.Callable;

/**
 * Who the database should think is asking: the settings that drive row-level security
 * (V6__row_level_security.sql). {@link ScopedDataSource} applies the current thread's session to
 * every connection it hands out; {@link Db#async} binds the request's session to the JDBC thread.
 *
 * @param scopeKind   {@code system} (background work), {@code everywhere}, {@code area}, {@code grid} or {@code none}
 * @param scopePrefix the area-code prefix of an area scope
 * @param scopeGrid   the grid of a grid scope
 * @param ownOnly     the caller sees only their own record and the key persons they are responsible for
 * @param personId    the caller's own person record
 * @param admin       administrators alone read the audit log
 * @param username    for the database's own log lines
 */
public record DbSession(String scopeKind, String scopePrefix, Long scopeGrid, boolean ownOnly, Long personId,
                        boolean admin, String username) {

    /** Background work of the server itself (imports, refreshers, start-up): no scope. */
    public static final DbSession SYSTEM = new DbSession("system", null, null, false, null, false, "caregrid");

    /** A caller the server does not know: sees no scoped row. */
    public static final DbSession NONE = new DbSession("none", null, null, false, null, false, "anonymous");

    /** The Reactor-context key under which a request carries its session to {@link Db#async}. */
    public static final Class<DbSession> CONTEXT_KEY = DbSession.class;

    private static final ThreadLocal<DbSession> CURRENT = new ThreadLocal<>();

    /**
     * The session of the current thread. Threads that serve HTTP requests never run JDBC themselves
     * (they would block the event loop), so one that tries gets {@link #NONE}; other threads without a
     * bound session are the server's own background work.
     */
    static DbSession current() {
        DbSession bound = CURRENT.get();
        if (bound != null) {
            return bound;
        }
        return Thread.currentThread().getName().startsWith("reactor-http") ? NONE : SYSTEM;
    }

    /** Runs {@code call} with this session bound to the current thread. */
    public <T> T call(Callable<T> call) throws Exception {
        DbSession previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return call.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
