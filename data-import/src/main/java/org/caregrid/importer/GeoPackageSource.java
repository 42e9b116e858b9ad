package org.caregrid.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureResultSet;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.geopackage.srs.SpatialReferenceSystem;
import org.caregrid.importer.ImportError.Severity;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/** GeoPackage through NGA's library: one feature table (the option's layer, else the first); CRS from its SRS. */
final class GeoPackageSource implements FeatureSource {

    @Override
    public void read(Path file, ImportOptions options, FeatureSink sink) throws IOException {
        GeoPackage geoPackage;
        try {
            geoPackage = GeoPackageManager.open(file.toFile(), false);
        } catch (RuntimeException e) {
            sink.problem(0, null, Severity.FATAL, "not a readable GeoPackage: " + e.getMessage());
            return;
        }
        try {
            List<String> tables = geoPackage.getFeatureTables();
            if (tables.isEmpty()) {
                sink.problem(0, null, Severity.FATAL, "the GeoPackage has no feature table");
                return;
            }
            String table = options.layer() != null ? options.layer() : tables.get(0);
            if (!tables.contains(table)) {
                sink.problem(0, null, Severity.FATAL, "no feature table '" + table + "'; the tables are " + tables);
                return;
            }
            FeatureDao dao = geoPackage.getFeatureDao(table);
            Crs declared;
            try {
                declared = crs(dao.getSrs());
            } catch (IllegalArgumentException e) {
                if (options.crs() == null) {
                    sink.problem(0, null, Severity.FATAL, e.getMessage());
                    return;
                }
                declared = null;
            }
            sink.declaredCrs(declared);
            sink.totalRows(dao.count());
            WKBReader wkb = new WKBReader();
            long number = 0;
            FeatureResultSet rows = dao.queryForAll();
            try {
                while (rows.moveToNext()) {
                    number++;
                    FeatureRow row = rows.getRow();
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    String[] names = row.getColumnNames();
                    int geometryIndex = row.getGeometryColumnIndex();
                    for (int i = 0; i < names.length; i++) {
                        if (i != geometryIndex) {
                            attributes.put(names[i], row.getValue(i));
                        }
                    }
                    Geometry geometry = null;
                    GeoPackageGeometryData data = row.getGeometry();
                    if (data != null && !data.isEmpty()) {
                        try {
                            geometry = wkb.read(data.getWkb());
                        } catch (ParseException | IOException e) {
                            sink.problem(number, row.getGeometryColumnName(), Severity.ERROR,
                                    "unreadable geometry: " + e.getMessage());
                            continue;
                        }
                    }
                    sink.feature(new SourceFeature(number, attributes, geometry));
                }
            } finally {
                rows.close();
            }
        } finally {
            geoPackage.close();
        }
    }

    private static Crs crs(SpatialReferenceSystem srs) {
        if (srs == null) {
            return null;
        }
        String organization = srs.getOrganization() == null ? "" : srs.getOrganization().toUpperCase(Locale.ROOT);
        long id = srs.getOrganizationCoordsysId();
        if (organization.equals("EPSG") && id > 0) {
            return Crs.epsg((int) id);
        }
        String definition = srs.getDefinition();
        if (definition != null && !definition.isBlank() && !definition.equalsIgnoreCase("undefined")) {
            return Crs.fromPrj(definition);
        }
        // gpkg_spatial_ref_sys rows -1 and 0 mean undefined cartesian / geographic
        return id == 0 ? Crs.wgs84() : null;
    }
}
