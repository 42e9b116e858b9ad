package org.caregrid.server.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reports as files to save: CSV (UTF-8 with BOM, for Excel) and XLSX, named by Content-Disposition. */
public final class Downloads {

    public static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** Excel takes a CSV for UTF-8 only when it starts with the byte-order mark. */
    public static final String CSV_BOM = "\uFEFF";

    public static final String CSV_TYPE = "text/csv;charset=UTF-8";

    private Downloads() {
    }

    /** Rows (the first is the header) as a CSV attachment {@code fileName}.csv. */
    public static ResponseEntity<byte[]> csv(List<List<String>> rows, String fileName) {
        StringBuilder text = new StringBuilder(CSV_BOM);
        for (List<String> row : rows) {
            text.append(csvLine(row));
        }
        return attachment(text.toString().getBytes(StandardCharsets.UTF_8), CSV_TYPE, fileName + ".csv");
    }

    /** One row of a CSV file, with its line end. */
    public static String csvLine(List<String> row) {
        return row.stream().map(Downloads::csvField).collect(Collectors.joining(",")) + "\r\n";
    }

    /**
     * Sends {@code body} (written while it is sent, see {@code Db.streamed}) as an attachment {@code fileName} and
     * answers empty: the response is written here, so a handler that returns this has nothing left to write.
     * Its length is not known in advance, so it goes out in chunks.
     */
    public static <T> Mono<T> send(ServerWebExchange exchange, String type, String fileName, Flux<DataBuffer> body) {
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders().setContentType(MediaType.parseMediaType(type));
        response.getHeaders().setContentDisposition(ContentDisposition.attachment().filename(fileName, StandardCharsets.UTF_8).build());
        return response.writeWith(body).doOnError(e -> {
            // refused before the first byte (a problem is written instead): not a file to save
            if (!response.isCommitted()) {
                response.getHeaders().remove(HttpHeaders.CONTENT_DISPOSITION);
            }
        }).then(Mono.empty());
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
