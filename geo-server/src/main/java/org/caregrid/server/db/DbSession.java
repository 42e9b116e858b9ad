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

    /** Background work that a user started (an import): no scope, but the history names the user. */
    public static DbSession systemFor(String username) {
        return new DbSession("system", null, null, false, null, false, username);
    }

    /**
     * What decides which rows the current caller's queries see under row-level security (not who they are):
     * results read by one caller may be shared with another of the same visibility.
     */
    public static String visibility() {
        DbSession s = current();
        return s.scopeKind() + "|" + s.scopePrefix() + "|" + s.scopeGrid() + "|" + s.admin() + "|"
                + (s.ownOnly() ? "own " + s.personId() : "all");
    }

    /**
     * The session of the current thread. The threads that serve requests (the event loop, and the
     * scheduler {@link Db#async} runs JDBC on) see nothing unless a session is bound, so a query that
     * escaped {@code Db.async} fails closed; the server's own threads (start-up, the road network's
     * refreshers, tests) are its background work.
     */
    static DbSession current() {
        DbSession bound = CURRENT.get();
        if (bound != null) {
            return bound;
        }
        String thread = Thread.currentThread().getName();
        return thread.startsWith("reactor-http") || thread.startsWith("boundedElastic") ? NONE : SYSTEM;
    }

    /** {@link #call} for work that throws nothing checked. */
    public void run(Runnable work) {
        try {
            call(() -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
