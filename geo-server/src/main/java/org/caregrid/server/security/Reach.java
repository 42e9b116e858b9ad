package org.caregrid.server.security;

/** How far an allowed action reaches; the user's own scope (everywhere, an area or a grid) bounds it. */
public enum Reach {
    /** Not allowed. */
    NONE,
    /** Only the key persons the user is responsible for today (包保), and the user's own record. */
    OWN_KEY_PERSONS,
    /** Everything inside the user's scope. */
    SCOPE;

    static Reach widest(Reach a, Reach b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
