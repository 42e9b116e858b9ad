package org.caregrid.importer;

import java.time.LocalDate;

/** Resident identity card numbers (GB 11643): 6-digit area, birth date, sequence, ISO 7064 check character. */
public final class IdNumbers {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARACTERS = "10X98765432";

    private IdNumbers() {
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    public static boolean isValid(String idNumber) {
        String id = idNumber.trim().toUpperCase();
        if (!id.matches("\\d{17}[\\dX]")) {
            return false;
        }
        try {
            birthDate(id);
        } catch (RuntimeException e) {
            return false;
        }
        return checkCharacter(id) == id.charAt(17);
    }

    static LocalDate birthDate(String id) {
        return LocalDate.of(Integer.parseInt(id.substring(6, 10)), Integer.parseInt(id.substring(10, 12)),
                Integer.parseInt(id.substring(12, 14)));
    }

    static Person.Gender gender(String id) {
        return (id.charAt(16) - '0') % 2 == 1 ? Person.Gender.MALE : Person.Gender.FEMALE;
    }

    /** Masks all but the first 3 and last 4 characters, as shown by default. */
    public static String mask(String text) {
        if (text.length() <= 7) {
            return "*".repeat(text.length());
        }
        return text.substring(0, 3) + "*".repeat(text.length() - 7) + text.substring(text.length() - 4);
    }
}
