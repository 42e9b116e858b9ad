package org.caregrid.server.coverage;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The answer's format: {@code ?format=} wins over the Accept header; JSON by default. */
enum ExportFormat {
    JSON, CSV, XLSX, GEOJSON;

    static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static ExportFormat choose(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.toLowerCase()) {
                case "json" -> JSON;
                case "csv" -> CSV;
                case "xlsx" -> XLSX;
                case "geojson" -> GEOJSON;
                default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "format is json, csv, xlsx or geojson; got '" + format + "'");
            };
        }
        if (accept == null) {
            return JSON;
        }
        if (accept.contains("text/csv")) {
            return CSV;
        }
        if (accept.contains(XLSX_TYPE)) {
            return XLSX;
        }
        if (accept.contains("application/geo+json")) {
            return GEOJSON;
        }
        return JSON;
    }
}
