package org.caregrid.importer;

import java.io.IOException;

/**
 * How caregrid reads XML it did not write. A file may not declare a DTD: the reader stops at {@code <!DOCTYPE} with an
 * error in words, before any entity is declared, so no external entity or DTD is fetched (file or URL) and no entity
 * can be expanded. OSM XML is read by {@link OsmXml}, which knows no entity but XML's own five and character
 * references; XLSX internals are parsed by Apache POI, whose own XML helper refuses DTDs the same way. Until
 * 2026-12-01 OSM XML went through a StAX factory with DTDs and external entities switched off and this check on top.
 */
public final class SafeXml {

    /** Words for the refusal; tests and callers look for "DTD". */
    public static final String DTD_REFUSED = "declares a DTD (<!DOCTYPE …>); caregrid refuses XML with a DTD because it"
            + " can make the reader fetch files or URLs (OSM files have none)";

    private SafeXml() {
    }

    /** Thrown at a DTD: the message is {@link #DTD_REFUSED} with the line. */
    public static final class DtdRefused extends IOException {
        DtdRefused(int line) {
            super("the file " + DTD_REFUSED + " (line " + line + ")");
        }
    }
}
