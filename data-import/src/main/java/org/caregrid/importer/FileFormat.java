package org.caregrid.importer;

import java.nio.file.Path;
import java.util.Locale;

/** The formats caregrid reads, recognised by file name. */
public enum FileFormat {
    GEOJSON, CSV, XLSX, SHAPEFILE, GEOPACKAGE, OSM_XML, OSM_PBF;

    /** By extension; throws IllegalArgumentException listing the supported ones. */
    public static FileFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".geojson") || name.endsWith(".json") || name.endsWith(".geojsonl")
                || name.endsWith(".geojsons") || name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return GEOJSON;
        }
        if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".tsv")) {
            return CSV;
        }
        if (name.endsWith(".xlsx") || name.endsWith(".xls") || name.endsWith(".xlsm")) {
            return XLSX;
        }
        if (name.endsWith(".shp")) {
            return SHAPEFILE;
        }
        if (name.endsWith(".gpkg")) {
            return GEOPACKAGE;
        }
        if (name.endsWith(".osm") || name.endsWith(".osm.gz") || name.endsWith(".osm.bz2")) {
            return OSM_XML;
        }
        if (name.endsWith(".pbf")) {
            return OSM_PBF;
        }
        throw new IllegalArgumentException("unsupported file type '" + file.getFileName() + "': use .geojson, "
                + ".geojsonl, .csv, .xlsx, .shp, .gpkg, .osm, .osm.gz or .osm.pbf");
    }

    FeatureSource source() {
        return switch (this) {
            case GEOJSON -> new GeoJsonSource();
            case CSV -> new CsvSource();
            case XLSX -> new XlsxSource();
            case SHAPEFILE -> new ShapefileSource();
            case GEOPACKAGE -> new GeoPackageSource();
            case OSM_XML, OSM_PBF -> throw new IllegalArgumentException(
                    "OSM files hold several kinds of record at once: read them with OsmReader");
        };
    }
}
