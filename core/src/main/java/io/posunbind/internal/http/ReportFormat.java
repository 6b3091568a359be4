package io.posunbind.internal.http;

import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the format of a batch report from the request's {@code Accept} (RFC 9110, 12.5.1): CSV when
 * {@code text/csv} (or {@code text/*}) is named and weighed at least as high as JSON ({@code application/json},
 * {@code application/*} or, failing both, {@code *}{@code /*}); JSON otherwise, and when there is no
 * {@code Accept}. A type named with {@code q=0} is refused by the client, so it is never chosen. Stateless and
 * thread-safe.
 */
final class ReportFormat {

    private ReportFormat() {
    }

    /** Whether the report goes out as CSV. */
    static boolean prefersCsv(Optional<String> accept) {
        if (accept.isEmpty()) {
            return false;
        }
        double csv = -1;
        double anyText = -1;
        double json = -1;
        double anyApplication = -1;
        double any = -1;
        for (String range : accept.get().toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim();
            double q = weight(parts);
            switch (type) {
                case "text/csv" -> csv = Math.max(csv, q);
                case "text/*" -> anyText = Math.max(anyText, q);
                case "application/json" -> json = Math.max(json, q);
                case "application/*" -> anyApplication = Math.max(anyApplication, q);
                case "*/*" -> any = Math.max(any, q);
                default -> {
                    // another type: it weighs neither format
                }
            }
        }
        double forCsv = csv >= 0 ? csv : anyText;
        double forJson = json >= 0 ? json : anyApplication >= 0 ? anyApplication : any;
        return forCsv > 0 && forCsv >= forJson;
    }

    /** The {@code q} of a media range, 1 when it has none; an unreadable one counts as 1, as if absent. */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q < 0 || q > 1 || Double.isNaN(q) ? 1 : q;
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}
