package org.caregrid.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler whose answer can show persons although its action ({@link Requires}) is not one of the
 * personal-data actions (coverage drill-downs and suggestions): a denied call to it is audited
 * ({@link DeniedAudit}) with this purpose.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface PersonalData {
    Purpose value();
}
