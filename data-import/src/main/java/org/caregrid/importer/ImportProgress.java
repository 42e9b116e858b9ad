package org.caregrid.importer;

/** Receives progress while a file is read; called every few hundred rows and once at the end. */
@FunctionalInterface
public interface ImportProgress {

    ImportProgress NONE = (rowsRead, totalRows) -> { };

    /** @param totalRows the number of rows in the file, or -1 when the format does not say up front */
    void progress(long rowsRead, long totalRows);
}
