package org.caregrid.server.service;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.caregrid.server.web.ApiException;

/** The period query parameters of the service endpoints: a missing day takes its default, a bad one is a fault. */
final class Periods {

    /** Two days, both inclusive. */
    record Period(LocalDate from, LocalDate to) {
    }

    private Periods() {
    }

    private static LocalDate date(String field, String value, LocalDate fallback, List<ApiException.FieldFault> faults) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            faults.add(new ApiException.FieldFault(field, "error.date", value));
            return fallback;
        }
    }

    /** The period {@code from}–{@code to}, this month up to today by default; 400 naming the field when wrong. */
    static Period between(String from, String to, LocalDate today) {
        List<ApiException.FieldFault> faults = new java.util.ArrayList<>();
        LocalDate first = date("from", from, today.withDayOfMonth(1), faults);
        LocalDate last = date("to", to, today, faults);
        if (faults.isEmpty() && first.isAfter(last)) {
            faults.add(new ApiException.FieldFault("from", "error.serviceRecords.range"));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return new Period(first, last);
    }
}
