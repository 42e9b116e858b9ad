package org.caregrid.server.web;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ch.poole.openinghoursparser.OpeningHoursParseException;
import ch.poole.openinghoursparser.OpeningHoursParser;
import ch.poole.openinghoursparser.Rule;
import ch.poole.openinghoursparser.TokenMgrError;
import ch.poole.openinghoursparser.Util;

/**
 * Opening hours and weekly availability, written as OpenStreetMap's {@code opening_hours} (e.g.
 * {@code Mo-Fr 08:00-20:00; Sa 09:00-12:00}), so that what the map imports from OSM and what people
 * type are one syntax. Text the parser refuses is refused at the edge with the parser's own words
 * (where it stopped and what it expected); accepted text is stored in the parser's normal form.
 */
public final class OpeningHoursInput {

    static final int MAX_LENGTH = 255;

    private OpeningHoursInput() {
    }

    /**
     * The normal form of {@code value} ("Mo-Fr 8:00-20:00" becomes "Mo-Fr 08:00-20:00"), or null when it
     * is null or blank; adds a fault to {@code faults} and returns null when it is not valid.
     */
    public static String normalise(String field, String value, List<ApiException.FieldFault> faults) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int before = faults.size();
        TextInput.check(field, value, MAX_LENGTH, faults);
        if (faults.size() > before) {
            return null;
        }
        String problem;
        try {
            List<Rule> rules = new OpeningHoursParser(
                    new ByteArrayInputStream(value.trim().getBytes(StandardCharsets.UTF_8))).rules(true);
            return Util.rulesToOpeningHoursString(rules);
        } catch (OpeningHoursParseException e) {
            // the first problem is the one to fix first
            problem = (e.getExceptions().isEmpty() ? e : e.getExceptions().get(0)).getMessage();
        } catch (TokenMgrError | RuntimeException e) {
            problem = e.getMessage();
        }
        faults.add(new ApiException.FieldFault(field, "error.openingHours",
                String.valueOf(problem).replaceAll("\\s*\\R\\s*", "; ").trim()));
        return null;
    }
}
