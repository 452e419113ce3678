package dev.vigil.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TimeZone;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import dev.vigil.agent.time.Timestamps;

/**
 * One log line: {@code 2026-12-01T05:30:00.123 INFO dev.vigil.agent.Main: message}, local time, and the stack
 * trace on the lines after it when there is one. The same line {@code SimpleFormatter} writes with the
 * format the agent had, without {@code java.util.Formatter} and the locale data it loads (1 MiB of the agent's
 * memory, docs/performance.md).
 */
public final class LogLine extends Formatter {
    private final TimeZone zone = TimeZone.getDefault();

    @Override
    public String format(LogRecord record) {
        StringBuilder line = Timestamps.appendLocalMillis(new StringBuilder(128), record.getMillis(), zone)
                .append(' ').append(record.getLevel().getName())
                .append(' ').append(record.getLoggerName())
                .append(": ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                out.println();
                record.getThrown().printStackTrace(out);
            }
            line.append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
