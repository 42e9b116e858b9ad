package org.caregrid.server.web;

/** What caregrid stores as a phone number: the rule of the schema's check on {@code person.phone}. */
public final class PhoneNumber {

    /** An optional +, then 5 to 20 digits, spaces or hyphens, starting with a digit. */
    public static final String PATTERN = "\\+?[0-9][0-9 -]{4,19}";

    private PhoneNumber() {
    }

    public static boolean isValid(String phone) {
        return phone.matches(PATTERN);
    }
}
