package dev.vigil.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogLineTest {
    /** The format the agent's logging.properties gave SimpleFormatter before LogLine. */
    private static final String SIMPLE_FORMAT = "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n";

    private static String simpleFormatter(LogRecord record) {
        String thrown = "";
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            PrintWriter out = new PrintWriter(trace);
            out.println();
            record.getThrown().printStackTrace(out);
            out.close();
            thrown = trace.toString();
        }
        return String.format(SIMPLE_FORMAT, ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault()),
                "", record.getLoggerName(), record.getLevel().getLocalizedName(), record.getMessage(), thrown);
    }

    @Test
    void writesWhatSimpleFormatterWroteWithTheAgentsFormatAtAnyInstant() {
        Random random = new Random(7);
        long now = System.currentTimeMillis();
        for (int i = 0; i < 1_000; i++) {
            LogRecord record = new LogRecord(i % 2 == 0 ? Level.INFO : Level.WARNING, "message " + i);
            record.setLoggerName("dev.vigil.agent.Main");
            record.setInstant(Instant.ofEpochMilli(now + random.nextLong(-100L << 32, 100L << 32)));
            if (i % 100 == 0) {
                record.setThrown(new IllegalStateException("broken " + i));
            }

            assertEquals(simpleFormatter(record), new LogLine().format(record));
        }
    }

    @Test
    void fillsInTheParametersOfAMessage() {
        LogRecord record = new LogRecord(Level.INFO, "{0} of {1}");
        record.setLoggerName("x");
        record.setParameters(new Object[] {"one", "two"});

        String line = new LogLine().format(record);

        assertEquals("INFO x: one of two", line.substring(line.indexOf(' ') + 1).strip());
    }
}
