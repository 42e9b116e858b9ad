package org.caregrid.server.coverage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.caregrid.server.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.util.MimeTypeUtils;

/** The answer's format: {@code ?format=} wins over the Accept header; JSON by default. */
enum ExportFormat {
    JSON, CSV, XLSX, GEOJSON;

    static final String XLSX_TYPE = org.caregrid.server.web.Downloads.XLSX_TYPE;

    /** A drill-down list in this format is the whole list, as a file; in the others, one page. */
    boolean wholeList() {
        return this == CSV || this == XLSX;
    }

    static ExportFormat choose(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.toLowerCase()) {
                case "json" -> JSON;
                case "csv" -> CSV;
                case "xlsx" -> XLSX;
                case "geojson" -> GEOJSON;
                default -> throw ApiException.invalid("format", "error.coverage.format", format);
            };
        }
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        // the client's first choice (by quality, then by order) that we can give
        List<MediaType> wanted = new ArrayList<>(MediaType.parseMediaTypes(accept));
        MimeTypeUtils.sortBySpecificity(wanted);
        wanted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : wanted) {
            String name = type.getType() + "/" + type.getSubtype();
            switch (name) {
                case "application/json", "*/*", "application/*" -> {
                    return JSON;
                }
                case "text/csv" -> {
                    return CSV;
                }
                case XLSX_TYPE -> {
                    return XLSX;
                }
                case "application/geo+json" -> {
                    return GEOJSON;
                }
                default -> {
                    // not ours: the next one
                }
            }
        }
        return JSON;
    }
}
