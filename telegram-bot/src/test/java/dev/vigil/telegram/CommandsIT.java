package dev.vigil.telegram;

import java.time.Duration;
import java.util.List;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.vigil.telegram.BotHarness.ADMIN;
import static dev.vigil.telegram.BotHarness.OPERATOR;
import static dev.vigil.telegram.BotHarness.STRANGER;
import static dev.vigil.telegram.BotHarness.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command for every role and for a stranger, through the real telegrambots long poller against the Bot API
 * stand-in, with the real server deciding and auditing behind the bot. The fleet: web-1 with a full disk (an open
 * warning) and web-2, both with restarts waiting for approval.
 */
class CommandsIT {
    private static final List<String> EVERY_COMMAND = List.of("/start", "/help", "/stats", "/stats web-1", "/warn",
            "/hosts", "/actions", "/approve 1", "/reject 1", "/ack 1", "/mute web-2 1h", "/reboot web-2");
    private static final List<String> READING = List.of("/start", "/help", "/stats", "/stats web-1", "/warn",
            "/hosts", "/actions");
    private static BotHarness harness;
    private static long web1;
    private static long web2;
    private static long incident;

    @BeforeAll
    static void start() throws Exception {
        harness = BotHarness.start();
        web1 = harness.host("web-1");
        web2 = harness.host("web-2");
        harness.poll(web2);
        harness.disks(web1, "web-1", 96);
        incident = harness.openIncidents(web1, 1).getFirst().getJsonNumber("id").longValue();
        harness.startBot();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String ask(long user, String text) throws InterruptedException {
        return harness.ask(user, text).text();
    }

    private static JsonObject action(String id) throws Exception {
        return harness.api("GET", "/api/v1/actions/" + id, null).asJsonObject();
    }

    @Test
    void aStrangerIsRefusedPolitelyForEveryCommandAndEachAttemptIsAudited() throws Exception {
        for (String command : EVERY_COMMAND) {
            String reply = ask(STRANGER, command);
            assertTrue(reply.contains("not allowed to use this Vigil bot") && reply.contains(Long.toString(STRANGER)),
                    command + " → " + reply);
        }
        List<JsonObject> audit = harness.audit(STRANGER);
        assertEquals(EVERY_COMMAND.size(), audit.stream()
                .filter(e -> e.getString("event").equals("telegram_refused")
                        && e.getString("result").equals("denied")).count(), audit.toString());
    }

    @Test
    void aViewerReadsEverythingAndIsRefusedEveryChange() throws Exception {
        assertTrue(ask(VIEWER, "/start").contains("as viewer"));
        String help = ask(VIEWER, "/help");
        assertTrue(help.contains("/stats") && !help.contains("/reboot"), "help lists what a viewer may do: " + help);
        String stats = ask(VIEWER, "/stats");
        assertTrue(stats.contains("Hosts: 2 — 2 up") && stats.contains("Worst disk: web-1 96"), stats);
        assertTrue(stats.contains("Open incidents: 0 critical, 1 warning"), stats);
        String host = ask(VIEWER, "/stats web-1");
        assertTrue(host.startsWith("web-1") && host.contains("#" + incident), host);
        assertTrue(ask(VIEWER, "/warn").contains("#" + incident));
        String hosts = ask(VIEWER, "/hosts");
        assertTrue(hosts.contains("web-1") && hosts.contains("web-2"), hosts);
        assertTrue(ask(VIEWER, "/actions").contains("approval"));

        for (String change : List.of("/approve 1", "/reject 1", "/ack " + incident, "/mute web-2 1h")) {
            assertTrue(ask(VIEWER, change).contains("needs the operator role; yours is viewer"), change);
        }
        assertTrue(ask(VIEWER, "/reboot web-2").contains("needs the admin role"));
        assertEquals(5, harness.audit(VIEWER).stream()
                .filter(e -> e.getString("event").equals("telegram_refused")).count());
        assertEquals("open", harness.api("GET", "/api/v1/incidents/" + incident, null).asJsonObject()
                .getString("state"));
    }

    @Test
    void anOperatorAcknowledgesMutesAndDecidesRestartsButNotReboots() throws Exception {
        for (String reading : READING) {
            assertTrue(!ask(OPERATOR, reading).contains("Sorry"), reading);
        }
        String restart = harness.action(web2, "restart_service", "nginx.service");
        String reboot = harness.action(web2, "reboot", "web-2");
        assertEquals("pending_approval", action(restart).getString("status"));

        String rejected = ask(OPERATOR, "/reject " + restart);
        assertTrue(rejected.startsWith("Rejected"), rejected);
        assertEquals("telegram:" + OPERATOR, action(restart).getString("decided_by"));
        assertTrue(ask(OPERATOR, "/reject " + restart).contains("Already rejected"), "a decided action says so");

        String notForOperators = ask(OPERATOR, "/approve " + reboot);
        assertTrue(notForOperators.contains("refused"), notForOperators);
        assertEquals("pending_approval", action(reboot).getString("status"));

        ask(OPERATOR, "/ack " + incident);
        JsonObject acknowledged = harness.api("GET", "/api/v1/incidents/" + incident, null).asJsonObject();
        assertEquals("acknowledged", acknowledged.getString("state"));
        assertEquals("telegram:" + OPERATOR, acknowledged.getString("acknowledged_by"));

        String muted = ask(OPERATOR, "/mute web-2 1h");
        List<JsonObject> windows = harness.api("GET", "/api/v1/maintenance", null).asJsonArray()
                .getValuesAs(JsonObject.class);
        assertTrue(windows.stream().anyMatch(w -> w.getString("created_by").equals("telegram:" + OPERATOR)
                && w.getJsonNumber("host_id").longValue() == web2), muted + " " + windows);
        assertTrue(ask(OPERATOR, "/reboot web-2").contains("needs the admin role"));
        assertTrue(harness.audit(OPERATOR).stream().anyMatch(e -> e.getString("result", "").equals("refused")
                        && (e.getString("subject", "") + e.getString("detail", "")).contains(reboot)),
                "the server's refusal of the reboot approval is audited under telegram:" + OPERATOR);
    }

    @Test
    void anAdminRebootsAfterConfirmingAndApprovesThroughTheNotificationsButton() throws Exception {
        assertTrue(ask(ADMIN, "/help").contains("/reboot"));
        BotApiStandIn.Message question = harness.ask(ADMIN, "/reboot web-1");
        String confirm = question.buttons().stream().flatMap(List::stream).filter(d -> d.equals("b:" + web1))
                .findFirst().orElseThrow(() -> new AssertionError("no confirmation button: " + question));
        String press = harness.telegram.userPresses(ADMIN, question, confirm);
        harness.telegram.await("the answer to the confirmation", Duration.ofSeconds(20),
                t -> t.callbackAnswer(press).isPresent());
        List<JsonObject> pending = harness.api("GET", "/api/v1/actions?status=pending_approval&host=" + web1, null)
                .asJsonArray().getValuesAs(JsonObject.class);
        JsonObject reboot = pending.stream().filter(a -> a.getString("type").equals("reboot")).findFirst()
                .orElseThrow(() -> new AssertionError("no reboot waits: " + pending));
        assertEquals("telegram:" + ADMIN, reboot.getString("requested_by"));

        // the group is told the reboot waits, with approve and reject buttons; an admin presses approve there
        String approve = "a:" + reboot.getString("id");
        harness.telegram.await("the approval notification", Duration.ofSeconds(20), t -> t.chat(BotHarness.GROUP)
                .stream().anyMatch(m -> m.buttons().stream().flatMap(List::stream).anyMatch(approve::equals)));
        BotApiStandIn.Message notification = harness.telegram.chat(BotHarness.GROUP).stream()
                .filter(m -> m.buttons().stream().flatMap(List::stream).anyMatch(approve::equals)).findFirst()
                .orElseThrow();
        String approval = harness.telegram.userPresses(ADMIN, notification, approve);
        harness.telegram.await("the approval's answer", Duration.ofSeconds(20),
                t -> t.callbackAnswer(approval).isPresent());
        assertTrue(harness.telegram.callbackAnswer(approval).orElseThrow().startsWith("Approved"),
                harness.telegram.callbackAnswer(approval).orElseThrow());
        JsonObject decided = action(reboot.getString("id"));
        assertEquals("telegram:" + ADMIN, decided.getString("decided_by"));
        assertTrue(decided.getJsonArray("trail").getValuesAs(JsonObject.class).stream()
                .anyMatch(e -> e.getString("actor").equals("telegram:" + ADMIN)), decided.toString());

        String again = harness.telegram.userPresses(ADMIN, notification, approve);
        harness.telegram.await("the answer to a second press", Duration.ofSeconds(20),
                t -> t.callbackAnswer(again).isPresent());
        assertTrue(harness.telegram.callbackAnswer(again).orElseThrow().startsWith("Already approved"),
                harness.telegram.callbackAnswer(again).orElseThrow());
    }
}
