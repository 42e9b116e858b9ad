package org.caregrid.importer;

import java.nio.charset.Charset;
import java.util.Objects;
import org.locationtech.jts.geom.Envelope;

/**
 * How to read a file.
 *
 * @param crs          the source coordinate system; null = from the file (.prj, GeoPackage metadata, GeoJSON = WGS84,
 *                     lon/lat columns = WGS84). When given it wins over the file's, with a warning if they differ.
 * @param mapping      source field names for caregrid fields
 * @param declaredArea WGS84 lon/lat box the data should lie in; null = mainland China's extent (used only to spot
 *                     swapped latitude/longitude)
 * @param charset      text encoding of CSV / DBF; null = detect (BOM, UTF-8, GB18030/GBK) or .cpg
 * @param layer        GeoPackage table or XLSX sheet name; null = the first
 * @param source       the name stored with records as their source (e.g. the file name); null = the file name
 * @param progress     progress callback
 */
public record ImportOptions(Crs crs, FieldMapping mapping, Envelope declaredArea, Charset charset, String layer,
                            String source, ImportProgress progress) {

    public ImportOptions {
        mapping = Objects.requireNonNullElse(mapping, FieldMapping.defaults());
        progress = Objects.requireNonNullElse(progress, ImportProgress.NONE);
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, FieldMapping.defaults(), null, null, null, null, ImportProgress.NONE);
    }

    public ImportOptions withCrs(Crs value) {
        return new ImportOptions(value, mapping, declaredArea, charset, layer, source, progress);
    }

    public ImportOptions withMapping(FieldMapping value) {
        return new ImportOptions(crs, value, declaredArea, charset, layer, source, progress);
    }

    public ImportOptions withDeclaredArea(Envelope value) {
        return new ImportOptions(crs, mapping, value, charset, layer, source, progress);
    }

    public ImportOptions withCharset(Charset value) {
        return new ImportOptions(crs, mapping, declaredArea, value, layer, source, progress);
    }

    public ImportOptions withLayer(String value) {
        return new ImportOptions(crs, mapping, declaredArea, charset, value, source, progress);
    }

    public ImportOptions withSource(String value) {
        return new ImportOptions(crs, mapping, declaredArea, charset, layer, value, progress);
    }

    public ImportOptions withProgress(ImportProgress value) {
        return new ImportOptions(crs, mapping, declaredArea, charset, layer, source, value);
    }
}
