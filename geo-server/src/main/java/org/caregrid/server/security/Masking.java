package org.caregrid.server.security;

/** Masks phone and ID numbers for the roles that do not need them in full (PIPL). */
public final class Masking {

    private Masking() {
    }

    /** {@code 13812345678} becomes {@code 138****5678}; short numbers keep only their last two digits. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[^0-9+]", "");
        if (digits.length() >= 11) {
            return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
        }
        if (digits.length() <= 2) {
            return "*".repeat(digits.length());
        }
        return "*".repeat(digits.length() - 2) + digits.substring(digits.length() - 2);
    }

    /** Only the last four characters of an ID number are ever stored; they are shown behind 14 stars. */
    public static String idNumber(String last4) {
        return last4 == null ? null : "*".repeat(14) + last4;
    }
}
