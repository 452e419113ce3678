package dev.vigil.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;

class ButtonsTest {
    @Test
    void everyButtonParsesBackToItsPress() {
        UUID action = UUID.randomUUID();
        assertEquals(List.of(new Buttons.Press(Buttons.Kind.APPROVE, action.toString()),
                new Buttons.Press(Buttons.Kind.REJECT, action.toString())), presses(Buttons.approval(action)));
        assertEquals(List.of(new Buttons.Press(Buttons.Kind.ACKNOWLEDGE, "123456789012"),
                new Buttons.Press(Buttons.Kind.MUTE, "77")), presses(Buttons.incident(123456789012L, 77)));
        assertEquals(List.of(new Buttons.Press(Buttons.Kind.REBOOT, "5")), presses(Buttons.rebootConfirm(5)));
        List<Buttons.Press> pages = presses(Buttons.pages("actions", 2, 3).orElseThrow());
        assertEquals(List.of(new Buttons.Press(Buttons.Kind.PAGE, "actions:1"),
                new Buttons.Press(Buttons.Kind.PAGE, "actions:3")), pages);
        assertEquals("actions", pages.get(1).command());
        assertEquals(3, pages.get(1).page());
    }

    @Test
    void callbackDataFitsTelegramsSixtyFourBytes() {
        Buttons.approval(UUID.randomUUID()).getKeyboard().forEach(row -> row.forEach(button ->
                assertTrue(button.getCallbackData().getBytes(StandardCharsets.UTF_8).length <= 64)));
        assertTrue(Buttons.incident(Long.MAX_VALUE, Long.MAX_VALUE).getKeyboard().get(0).get(0).getCallbackData()
                .length() <= 64);
    }

    @Test
    void pagesShowOnlyTheWaysThatExist() {
        assertEquals(Optional.empty(), Buttons.pages("warn", 1, 1));
        assertEquals(List.of(new Buttons.Press(Buttons.Kind.PAGE, "warn:2")),
                presses(Buttons.pages("warn", 1, 2).orElseThrow()));
        assertEquals(List.of(new Buttons.Press(Buttons.Kind.PAGE, "warn:1")),
                presses(Buttons.pages("warn", 2, 2).orElseThrow()));
        assertThrows(IllegalArgumentException.class, () -> Buttons.pages("warn", 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Buttons.pages("/warn", 1, 2));
    }

    @Test
    void foreignOrForgedDataIsNoPress() {
        for (String data : new String[] {null, "", "a:", "a:not-a-uuid", "k:12x", "k:-1", "m:", "x:1", "p:actions",
                "p:actions:0", "p:Actions:1", "p::1", "k:1234567890123456789", "a:" + UUID.randomUUID() + " ",
                "a:" + UUID.randomUUID().toString().toUpperCase()}) {
            assertEquals(Optional.empty(), Buttons.parse(data), String.valueOf(data));
        }
    }

    private static List<Buttons.Press> presses(InlineKeyboardMarkup markup) {
        return markup.getKeyboard().stream().flatMap(List::stream).map(InlineKeyboardButton::getCallbackData)
                .map(data -> Buttons.parse(data).orElseThrow(() -> new AssertionError(data))).toList();
    }
}
