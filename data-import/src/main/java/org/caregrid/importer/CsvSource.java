package org.caregrid.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.caregrid.importer.ImportError.Severity;

/**
 * CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) in UTF-8, UTF-8 with BOM or GBK/GB18030,
 * detected unless given. The first line is the header; the separator (comma, tab or semicolon) is taken from it.
 * Row numbers in messages are line numbers of the record's start, header = 1, as a spreadsheet shows them.
 */
final class CsvSource implements FeatureSource {

    @Override
    public void read(Path file, ImportOptions options, FeatureSink sink) throws IOException {
        Charset charset = options.charset() != null ? options.charset() : TextEncoding.detect(file);
        sink.declaredCrs(null);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), charset))) {
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            CsvParser parser = new CsvParser(reader);
            List<String> header = parser.next();
            if (header == null || header.stream().allMatch(String::isBlank)) {
                sink.problem(0, null, Severity.FATAL, "the file is empty: expected a header line");
                return;
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).strip();
                names.add(name.isEmpty() ? "column" + (i + 1) : name);
            }
            while (true) {
                long line = parser.lineNumber() + 1;
                List<String> values = parser.next();
                if (values == null) {
                    break;
                }
                if (values.size() == 1 && values.get(0).isBlank()) {
                    continue;
                }
                if (values.size() > names.size()) {
                    sink.problem(line, null, Severity.WARNING, values.size() + " values but " + names.size()
                            + " columns in the header; extra values ignored");
                }
                Map<String, Object> attributes = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    attributes.put(names.get(i), i < values.size() ? values.get(i) : null);
                }
                sink.feature(new SourceFeature(line, attributes, null));
            }
            if (parser.unterminatedQuote()) {
                sink.problem(parser.lineNumber(), null, Severity.FATAL,
                        "a quoted field is not closed: the file is truncated or a quote is missing");
            }
        }
    }

    /** A small RFC 4180 record reader; the separator is whichever of , \t ; is commonest in the header. */
    static final class CsvParser {
        private final Reader reader;
        private char separator;
        private long lineNumber;
        private boolean unterminated;
        private int pushedBack = -2;

        CsvParser(Reader reader) {
            this.reader = reader;
        }

        long lineNumber() {
            return lineNumber;
        }

        boolean unterminatedQuote() {
            return unterminated;
        }

        private int read() throws IOException {
            if (pushedBack != -2) {
                int c = pushedBack;
                pushedBack = -2;
                return c;
            }
            return reader.read();
        }

        List<String> next() throws IOException {
            if (separator == 0) {
                separator = sniffSeparator();
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            int c;
            while ((c = read()) != -1) {
                any = true;
                if (quoted) {
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            pushedBack = n;
                        }
                    } else {
                        if (c == '\n') {
                            lineNumber++;
                        }
                        field.append((char) c);
                    }
                } else if (c == '"' && field.toString().isBlank()) {
                    field.setLength(0);
                    quoted = true;
                } else if (c == separator) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\r') {
                    int n = read();
                    if (n != '\n') {
                        pushedBack = n;
                    }
                    lineNumber++;
                    fields.add(field.toString());
                    return fields;
                } else if (c == '\n') {
                    lineNumber++;
                    fields.add(field.toString());
                    return fields;
                } else {
                    field.append((char) c);
                }
            }
            if (quoted) {
                unterminated = true;
            }
            if (!any) {
                return null;
            }
            lineNumber++;
            fields.add(field.toString());
            return fields;
        }

        private char sniffSeparator() throws IOException {
            if (!reader.markSupported()) {
                return ',';
            }
            reader.mark(64 * 1024);
            char[] buffer = new char[64 * 1024];
            int n = reader.read(buffer);
            reader.reset();
            int commas = 0;
            int tabs = 0;
            int semicolons = 0;
            for (int i = 0; i < Math.max(n, 0) && buffer[i] != '\n'; i++) {
                switch (buffer[i]) {
                    case ',' -> commas++;
                    case '\t' -> tabs++;
                    case ';' -> semicolons++;
                    default -> { }
                }
            }
            if (tabs > commas && tabs >= semicolons) {
                return '\t';
            }
            return semicolons > commas ? ';' : ',';
        }
    }
}
