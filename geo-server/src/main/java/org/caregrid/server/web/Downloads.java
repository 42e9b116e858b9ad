package org.caregrid.server.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Reports as files to save: CSV (UTF-8 with BOM, for Excel) and XLSX, named by Content-Disposition. */
public final class Downloads {

    public static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Downloads() {
    }

    /** Rows (the first is the header) as a CSV attachment {@code fileName}.csv. */
    public static ResponseEntity<byte[]> csv(List<List<String>> rows, String fileName) {
        StringBuilder text = new StringBuilder("\uFEFF");
        for (List<String> row : rows) {
            text.append(row.stream().map(Downloads::csvField).collect(Collectors.joining(","))).append("\r\n");
        }
        return attachment(text.toString().getBytes(StandardCharsets.UTF_8), "text/csv;charset=UTF-8", fileName + ".csv");
    }

    /** A workbook as an XLSX attachment {@code fileName} (with its extension). */
    public static ResponseEntity<byte[]> xlsx(XSSFWorkbook book, String fileName) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            book.write(out);
            return attachment(out.toByteArray(), XLSX_TYPE, fileName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ResponseEntity<byte[]> attachment(byte[] body, String type, String fileName) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(type))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(fileName, StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    static String csvField(String value) {
        // Excel runs cells that start with = + - @ as formulas: quote them away (CSV injection)
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?[0-9.]+") ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
