package org.caregrid.server.web;

import java.util.List;

/**
 * Free text that people type (findings, notes, names): PostgreSQL cannot store a NUL character, and a
 * lone surrogate is not text at all, so both are refused at the edge with the field's name, as is
 * text longer than the field holds.
 */
public final class TextInput {

    private TextInput() {
    }

    /** Adds a fault to {@code faults} when {@code value} is not storable text of at most {@code maxLength}. */
    public static void check(String field, String value, int maxLength, List<ApiException.FieldFault> faults) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            faults.add(new ApiException.FieldFault(field, "error.text.tooLong", maxLength, value.length()));
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                faults.add(new ApiException.FieldFault(field, "error.text.nul", i + 1));
                return;
            }
            if (Character.isHighSurrogate(c) && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
                faults.add(new ApiException.FieldFault(field, "error.text.surrogate", i + 1));
                return;
            }
        }
    }
}
