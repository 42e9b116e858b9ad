package org.caregrid.importer;

/**
 * One problem found while reading a file.
 *
 * @param file     the file name (no directories, so messages don't leak server paths)
 * @param row      1-based row, feature or OSM element number; 0 when the problem concerns the whole file
 * @param field    the source field (column) concerned, or null
 * @param severity {@link Severity#FATAL}: the file cannot be imported; {@link Severity#ERROR}: this row was left out;
 *                 {@link Severity#WARNING}: the row was kept, repaired as the reason says
 * @param reason   what is wrong, in words a planner understands
 */
public record ImportError(String file, long row, String field, Severity severity, String reason) {

    public enum Severity { WARNING, ERROR, FATAL }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(severity.name()).append(' ').append(file);
        if (row > 0) {
            text.append(" row ").append(row);
        }
        if (field != null) {
            text.append(" field '").append(field).append('\'');
        }
        return text.append(": ").append(reason).toString();
    }
}
