package dev.vigil.telegram;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    static final List<JsonObject> HOSTS = Args.objects(ServerApi.JSON.createReader(new StringReader("""
            [{"id": 1, "name": "web-1", "group": "Web", "status": "up"},
             {"id": 2, "name": "DB-1", "group": null, "status": "down"},
             {"id": 3, "name": "7", "group": "web", "status": "unknown"}]
            """)).readArray());

    @Test
    void commandLines() {
        assertEquals(Optional.of(new Args.Line("stats", List.of("web-1"))),
                Args.line("  /Stats   web-1 ", Optional.of("vigil_bot")));
        assertEquals(Optional.of(new Args.Line("warn", List.of())), Args.line("/warn@Vigil_Bot", Optional.of("vigil_bot")));
        assertEquals(Optional.of(new Args.Line("mute", List.of("web", "2h"))),
                Args.line("/mute@vigil_bot web 2h", Optional.of("vigil_bot")));
        assertEquals(Optional.empty(), Args.line("/stats@other_bot", Optional.of("vigil_bot")));
        assertEquals(Optional.of(new Args.Line("stats", List.of())), Args.line("/stats@any_bot", Optional.empty()));
        assertEquals(Optional.empty(), Args.line("hello /stats", Optional.of("vigil_bot")));
        assertEquals(Optional.empty(), Args.line("/", Optional.of("vigil_bot")));
        assertEquals(Optional.empty(), Args.line(null, Optional.of("vigil_bot")));
        assertEquals(Optional.empty(), Args.line("/<b>x</b>", Optional.of("vigil_bot")));
    }

    @Test
    void muteDurations() {
        assertEquals(Optional.of(Duration.ofMinutes(30)), Args.muteDuration("30m"));
        assertEquals(Optional.of(Duration.ofHours(2)), Args.muteDuration("2H"));
        assertEquals(Optional.of(Duration.ofDays(1)), Args.muteDuration("1d"));
        assertEquals(Optional.of(Duration.ofDays(7)), Args.muteDuration("7d"));
        assertEquals(Optional.of(Duration.ofMinutes(1)), Args.muteDuration("1m"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8d", "169h", "0m", "30s", "59s", "-1h", "2 h", "soon", "", "99999999999999999999d"})
    void muteDurationsOutOfRangeOrGarbage(String text) {
        assertEquals(Optional.empty(), Args.muteDuration(text));
    }

    @Test
    void incidentIds() {
        assertEquals(OptionalLong.of(7), Args.incidentId("7"));
        assertEquals(OptionalLong.of(7), Args.incidentId("#7"));
        for (String bad : List.of("0", "-1", "x", "#", "1234567890123456789", "7a", "")) {
            assertEquals(OptionalLong.empty(), Args.incidentId(bad), bad);
        }
    }

    @Test
    void actionIds() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.of(new Args.ActionRef.Whole(id)), Args.actionRef(id.toString().toUpperCase()));
        assertEquals(Optional.of(new Args.ActionRef.Prefix("0b5c12")), Args.actionRef("0B5C12"));
        for (String bad : List.of("0b5c1", "xyz123", "0b5c12<", "")) {
            assertEquals(Optional.empty(), Args.actionRef(bad), bad);
        }
    }

    @Test
    void hostsByNameInAnyCaseThenById() {
        assertEquals(1, Args.host(HOSTS, "WEB-1").orElseThrow().getInt("id"));
        assertEquals(2, Args.host(HOSTS, "db-1").orElseThrow().getInt("id"));
        assertEquals(2, Args.host(HOSTS, "2").orElseThrow().getInt("id"));
        assertEquals(3, Args.host(HOSTS, "7").orElseThrow().getInt("id"), "a name wins over an id");
        assertEquals(Optional.empty(), Args.host(HOSTS, "web-9"));
        assertEquals(Optional.empty(), Args.host(HOSTS, "99"));
    }

    @Test
    void groupsByNameInAnyCase() {
        assertEquals(Optional.of("Web"), Args.group(HOSTS, "WEB"));
        assertEquals(Optional.empty(), Args.group(HOSTS, "db"));
        assertTrue(Args.group(List.of(), "web").isEmpty());
    }
}
