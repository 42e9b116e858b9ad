package org.caregrid.importer;

import org.caregrid.importer.ImportError.Severity;

/** Where a format reader sends what it finds; implemented by the import pipeline. */
interface FeatureSink {

    /** The coordinate system the file declares (.prj, GeoPackage SRS, GeoJSON crs); call before any feature. */
    void declaredCrs(Crs crs);

    /** The number of rows when the format says so up front. */
    void totalRows(long total);

    void feature(SourceFeature feature);

    void problem(long row, String field, Severity severity, String reason);
}
