package dev.vigil.telegram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outage drill of docs/telegram.md: Telegram (the stand-in) refuses every call for the drill's length while
 * incidents open, are acknowledged and resolve on the real server, and the bot is restarted halfway; afterwards the
 * chat must have every incident exactly once, in the order they opened, each showing its final state, and no
 * rate limit broken. {@code -Dvigil.drill.seconds} sets the outage (CI: 30 s; {@code telegram-bot/bench/outage.sh}
 * runs the 10-minute form); the result line goes to stdout and {@code target/telegram-outage-drill.txt}.
 */
class OutageDrillIT {
    private static final Pattern INCIDENT_ID = Pattern.compile("#(\\d+)");
    private static final int HOSTS = 3;
    private static final Duration STEP = Duration.ofSeconds(2);

    @Test
    void everyNotificationArrivesExactlyOnceInOrderAfterTheOutage() throws Exception {
        Duration outage = Duration.ofSeconds(Long.getLong("vigil.drill.seconds", 30));
        try (BotHarness harness = BotHarness.start()) {
            BotApiStandIn telegram = harness.telegram;
            long[] hosts = new long[HOSTS];
            for (int h = 0; h < HOSTS; h++) {
                hosts[h] = harness.host("drill-" + h);
            }
            harness.startBot();
            Instant begun = Instant.now();
            harness.disks(hosts[0], "drill-0", 95);
            telegram.await("the first incident before the outage", Duration.ofSeconds(30),
                    t -> !t.chat(BotHarness.GROUP).isEmpty());

            telegram.startOutage();
            long outageStart = System.nanoTime();
            boolean restarted = false;
            int step = 0;
            while (System.nanoTime() - outageStart < outage.toNanos()) {
                int h = step % HOSTS;
                // each step moves one host's full filesystem to the next mount: one incident resolves, one opens
                double[] disks = new double[2 + step / HOSTS];
                Arrays.fill(disks, 50);
                disks[disks.length - 1] = 95;
                harness.disks(hosts[h], "drill-" + h, disks);
                if (step % 5 == 4) {
                    harness.api("POST", "/api/v1/incidents/" + opened(harness, hosts[h], "/d" + (disks.length - 1))
                            + "/ack", null);
                }
                if (!restarted && System.nanoTime() - outageStart > outage.toNanos() / 2) {
                    harness.stopBot();
                    harness.startBot();
                    restarted = true;
                }
                step++;
                Thread.sleep(STEP.toMillis());
            }
            for (int h = 0; h < HOSTS; h++) {
                harness.disks(hosts[h], "drill-" + h, 50);
            }
            telegram.endOutage();
            long outageEnded = System.nanoTime();

            List<JsonObject> incidents = harness.api("GET", "/api/v1/incidents?limit=5000&from="
                    + begun.minusSeconds(1).toEpochMilli(), null).asJsonArray().getValuesAs(JsonObject.class);
            List<Long> ids = incidents.stream().map(i -> i.getJsonNumber("id").longValue()).sorted().toList();
            telegram.await("every incident told and shown resolved", Duration.ofMinutes(3), t -> {
                Map<Long, String> shown = shownNow(t.chat(BotHarness.GROUP));
                return ids.stream().allMatch(id -> shown.getOrDefault(id, "").contains("resolved"));
            });
            double drainSeconds = (System.nanoTime() - outageEnded) / 1e9;

            List<Long> told = new ArrayList<>();
            for (BotApiStandIn.Message sent : telegram.sent()) {
                told.addAll(mentioned(sent.text()));
            }
            List<Long> opened = told.stream().filter(ids::contains).toList();
            assertEquals(ids, opened, "each incident in exactly one message, in the order they opened");
            assertEquals(List.of(), telegram.breaches());
            String result = String.format(java.util.Locale.ROOT, "outage %d s, %d incidents opened and resolved,"
                            + " bot restarted mid-outage; %d messages and %d edits in all, 0 lost, 0 repeated,"
                            + " out of order 0, rate-limit breaches 0, all delivered %.1f s after Telegram came back",
                    outage.toSeconds(), ids.size(), telegram.sent().size(), telegram.edits().size(), drainSeconds);
            System.out.println("Telegram outage drill: " + result);
            write(Path.of("target", "telegram-outage-drill.txt"), result + "\n");
            assertTrue(restarted);
        }
    }

    /** The id of the host's open incident about this mount, once the rules opened it. */
    private static long opened(BotHarness harness, long hostId, String mount) throws Exception {
        for (int tries = 0; tries < 200; tries++) {
            for (JsonObject incident : harness.openIncidents(hostId, 1)) {
                if (incident.getString("subject").equals(mount)) {
                    return incident.getJsonNumber("id").longValue();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no open incident about " + mount + " on host " + hostId);
    }

    /** Each incident's text as the chat shows it now, by id: its line in a group message, or its own message. */
    private static Map<Long, String> shownNow(List<BotApiStandIn.Message> chat) {
        Map<Long, String> shown = new LinkedHashMap<>();
        for (BotApiStandIn.Message message : chat) {
            List<Long> ids = mentioned(message.text());
            if (ids.size() == 1) {
                shown.put(ids.getFirst(), message.text()); // one incident: the message is all about it
                continue;
            }
            for (String line : message.text().split("\n")) {
                for (long id : mentioned(line)) {
                    shown.put(id, line);
                }
            }
        }
        return shown;
    }

    private static List<Long> mentioned(String text) {
        List<Long> ids = new ArrayList<>();
        Matcher matcher = INCIDENT_ID.matcher(text);
        while (matcher.find()) {
            ids.add(Long.parseLong(matcher.group(1)));
        }
        return ids;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}
