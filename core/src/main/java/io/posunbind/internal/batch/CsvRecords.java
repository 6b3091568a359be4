package io.posunbind.internal.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: records end with CRLF or LF, fields are separated by commas, a field in double quotes
 * may hold commas, line breaks and doubled quotes. A leading UTF-8 byte order mark is skipped. No dependency,
 * no configuration: the batch file format is ours. Stateless.
 */
public final class CsvRecords {

    private CsvRecords() {
    }

    /**
     * The records of a CSV text, each a list of fields. A quote left open makes the last record
     * {@link Result#unterminatedAt()}: the records before it are returned.
     */
    public static Result parse(String text) {
        String csv = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean afterQuote = false;
        int i = 0;
        while (i < csv.length()) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                afterQuote = false;
            } else {
                field.append(c); // a character after a closing quote is kept: lenient, as spreadsheets write
            }
            i++;
        }
        if (quoted) {
            return new Result(records, records.size() + 1);
        }
        if (field.length() > 0 || !record.isEmpty() || afterQuote) {
            record.add(field.toString());
            records.add(record);
        }
        return new Result(records, 0);
    }

    /**
     * Parsed records.
     *
     * @param records        the complete records, header included
     * @param unterminatedAt the 1-based position of a record whose quote was never closed, 0 when none
     */
    public record Result(List<List<String>> records, int unterminatedAt) {
    }
}
