package io.posunbind.testkit.scenarios;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the SDK logs while a test runs: slf4j-simple writes to standard error (see
 * {@code simplelogger.properties}, which resolves the stream on every line), so the log is captured by
 * teeing {@link System#err} until {@link #close()}. Lines keep slf4j-simple's format,
 * {@code "<time> [thread] LEVEL logger - message"}, followed by any stack trace.
 */
final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    CapturedLog() {
        // Teed, not diverted: whoever captured standard error before (SecretHygieneTest) still sees it all.
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Everything logged so far. */
    String text() {
        System.err.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The lines logged so far at a level (" INFO ", " ERROR "...) by posunbind's own loggers. */
    List<String> lines(String level) {
        return Arrays.stream(text().split("\n"))
                .filter(line -> line.contains(" " + level + " io.posunbind.") && !line.contains("testkit.sandbox"))
                .toList();
    }

    /** Forgets what was captured so far. */
    void clear() {
        System.err.flush();
        bytes.reset();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
