package org.caregrid.importer;

import java.util.List;

/** What a reader produced: the accepted records and every problem found on the way. */
public record ImportResult<T>(List<T> records, List<ImportError> errors, long rowsRead) {

    public ImportResult {
        records = List.copyOf(records);
        errors = List.copyOf(errors);
    }

    /** True when the file cannot be imported as a whole. */
    public boolean isFatal() {
        return errors.stream().anyMatch(e -> e.severity() == ImportError.Severity.FATAL);
    }

    /** True when anything worse than a warning was found. */
    public boolean hasErrors() {
        return errors.stream().anyMatch(e -> e.severity() != ImportError.Severity.WARNING);
    }

    public List<ImportError> warnings() {
        return errors.stream().filter(e -> e.severity() == ImportError.Severity.WARNING).toList();
    }
}
