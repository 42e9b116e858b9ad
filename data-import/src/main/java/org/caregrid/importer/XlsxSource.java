package org.caregrid.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.CellValue;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.caregrid.importer.ImportError.Severity;

/**
 * XLSX (and XLS) through Apache POI: one sheet (the option's layer, else the first); its first non-empty row is
 * the header. Formula cells are evaluated; a formula that cannot be evaluated or yields an error (#DIV/0!, #REF!)
 * leaves its row out with the formula named. Row numbers are Excel's.
 */
final class XlsxSource implements FeatureSource {

    @Override
    public void read(Path file, ImportOptions options, FeatureSink sink) throws IOException {
        sink.declaredCrs(null);
        try (Workbook workbook = WorkbookFactory.create(file.toFile(), null, true)) {
            Sheet sheet = options.layer() != null ? workbook.getSheet(options.layer()) : workbook.getSheetAt(0);
            List<String> sheetNames = new ArrayList<>();
            workbook.forEach(s -> sheetNames.add(s.getSheetName()));
            if (sheet == null) {
                sink.problem(0, null, Severity.FATAL, "no sheet named '" + options.layer() + "'; the sheets are "
                        + sheetNames);
                return;
            }
            FormulaEvaluator evaluator = workbook.getCreationHelper().createFormulaEvaluator();
            DataFormatter formatter = new DataFormatter();
            int headerIndex = -1;
            List<String> header = new ArrayList<>();
            for (org.apache.poi.ss.usermodel.Row row : sheet) {
                for (Cell cell : row) {
                    String text = formatter.formatCellValue(cell).strip();
                    if (!text.isEmpty()) {
                        headerIndex = row.getRowNum();
                        break;
                    }
                }
                if (headerIndex >= 0) {
                    for (int c = 0; c < row.getLastCellNum(); c++) {
                        Cell cell = row.getCell(c);
                        String text = cell == null ? "" : formatter.formatCellValue(cell).strip();
                        header.add(text.isEmpty() ? "column" + (c + 1) : text);
                    }
                    break;
                }
            }
            if (headerIndex < 0) {
                sink.problem(0, null, Severity.FATAL, "sheet '" + sheet.getSheetName() + "' is empty"
                        + (sheetNames.size() > 1 ? "; the workbook's sheets are " + sheetNames
                        + ": choose the one with the data" : ""));
                return;
            }
            sink.totalRows(Math.max(0, sheet.getLastRowNum() - headerIndex));
            for (org.apache.poi.ss.usermodel.Row row : sheet) {
                if (row.getRowNum() <= headerIndex) {
                    continue;
                }
                long rowNumber = row.getRowNum() + 1L;
                Map<String, Object> attributes = new LinkedHashMap<>();
                boolean empty = true;
                boolean broken = false;
                for (int c = 0; c < header.size(); c++) {
                    Cell cell = row.getCell(c);
                    Object value;
                    try {
                        value = value(cell, evaluator);
                    } catch (FormulaProblem problem) {
                        sink.problem(rowNumber, header.get(c), Severity.ERROR, problem.getMessage());
                        broken = true;
                        break;
                    }
                    if (value != null && !(value instanceof String s && s.isBlank())) {
                        empty = false;
                    }
                    attributes.put(header.get(c), value);
                }
                if (!broken && !empty) {
                    sink.feature(new SourceFeature(rowNumber, attributes, null));
                }
            }
        }
    }

    private static final class FormulaProblem extends Exception {
        FormulaProblem(String message) {
            super(message);
        }
    }

    private static Object value(Cell cell, FormulaEvaluator evaluator) throws FormulaProblem {
        if (cell == null) {
            return null;
        }
        CellType type = cell.getCellType();
        if (type == CellType.FORMULA) {
            CellValue evaluated;
            try {
                evaluated = evaluator.evaluate(cell);
            } catch (RuntimeException e) {
                throw new FormulaProblem("formula =" + cell.getCellFormula() + " in " + cell.getAddress()
                        + " cannot be evaluated: " + e.getMessage());
            }
            return switch (evaluated.getCellType()) {
                case NUMERIC -> evaluated.getNumberValue();
                case STRING -> evaluated.getStringValue();
                case BOOLEAN -> evaluated.getBooleanValue();
                case ERROR -> throw new FormulaProblem("formula =" + cell.getCellFormula() + " in "
                        + cell.getAddress() + " gives " + FormulaError.forInt(evaluated.getErrorValue()).getString());
                default -> null;
            };
        }
        return switch (type) {
            case NUMERIC -> DateUtil.isCellDateFormatted(cell) ? dateText(cell.getLocalDateTimeCellValue())
                    : (Object) cell.getNumericCellValue();
            case STRING -> cell.getStringCellValue();
            case BOOLEAN -> cell.getBooleanCellValue();
            case ERROR -> throw new FormulaProblem("cell " + cell.getAddress() + " holds an error value");
            default -> null;
        };
    }

    /** A date cell as ISO text: the date alone, or with its time of day when it has one (a visit ledger's 走访时间). */
    private static String dateText(java.time.LocalDateTime value) {
        return value.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? value.toLocalDate().toString()
                : value.withNano(0).toString();
    }
}
