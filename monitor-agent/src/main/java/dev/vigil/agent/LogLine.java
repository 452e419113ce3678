package dev.vigil.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One log line: {@code 2026-12-01T05:30:00.123 INFO dev.vigil.agent.Main: message}, local time, and the stack
 * trace on the lines after it when there is one. The same line {@code SimpleFormatter} writes with the
 * format the agent had, without {@code java.util.Formatter} and the locale data it loads (1 MiB of the agent's
 * memory, docs/performance.md).
 */
public final class LogLine extends Formatter {
    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String format(LogRecord record) {
        LocalDateTime time = LocalDateTime.ofInstant(record.getInstant(), zone);
        StringBuilder line = new StringBuilder(128).append(time.getYear()).append('-');
        twoDigits(line, time.getMonthValue()).append('-');
        twoDigits(line, time.getDayOfMonth()).append('T');
        twoDigits(line, time.getHour()).append(':');
        twoDigits(line, time.getMinute()).append(':');
        twoDigits(line, time.getSecond()).append('.');
        int millis = time.getNano() / 1_000_000;
        line.append(millis < 100 ? (millis < 10 ? "00" : "0") : "").append(millis)
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

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append(value < 10 ? "0" : "").append(value);
    }
}
