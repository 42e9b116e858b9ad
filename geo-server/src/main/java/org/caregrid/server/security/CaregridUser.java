package org.caregrid.server.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** A signed-in user with the roles and the area scope that every handler checks. */
public class CaregridUser extends User {

    private final long id;
    private final Set<Role> roles;
    private final AreaScope scope;
    private final Long personId;

    public CaregridUser(long id, String username, String passwordHash, boolean enabled,
                        Set<Role> roles, AreaScope scope, Long personId) {
        super(username, passwordHash, enabled, true, true, true, authorities(roles));
        this.id = id;
        this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
        this.scope = scope;
        this.personId = personId;
    }

    private static Collection<GrantedAuthority> authorities(Set<Role> roles) {
        return roles.stream().map(r -> (GrantedAuthority) new SimpleGrantedAuthority(r.authority())).toList();
    }

    public long id() {
        return id;
    }

    public Set<Role> roles() {
        return EnumSet.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public AreaScope scope() {
        return scope;
    }

    /** The user's own person record (a volunteer's or a grid worker's), or null. */
    public Long personId() {
        return personId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaregridUser other && other.id == id && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
