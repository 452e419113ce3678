package dev.vigil.telegram;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.vigil.telegram.Actor.Role;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTest {
    private static final BotConfig CONFIG = BotConfig.merge(new BotOptions("http://x:1", "t", "http://y:2",
            Optional.empty(), Optional.empty(), Optional.of(Map.of(1L, Role.VIEWER, 2L, Role.OPERATOR, 3L, Role.ADMIN)),
            Path.of("d"), "test-bot"), BotConfig.Panel.NONE);

    private static final Set<Command> VIEWER = Set.of(Command.START, Command.HELP, Command.STATS, Command.WARN,
            Command.HOSTS, Command.ACTIONS);
    private static final Set<Command> OPERATOR = Set.of(Command.APPROVE, Command.REJECT, Command.ACK, Command.MUTE);

    @Test
    void theRoleMatrix() {
        for (Command command : Command.values()) {
            assertEquals(VIEWER.contains(command), allowed(1, command), "viewer " + command);
            assertEquals(VIEWER.contains(command) || OPERATOR.contains(command), allowed(2, command),
                    "operator " + command);
            assertTrue(allowed(3, command), "admin " + command);
        }
    }

    @Test
    void buttonsNeedTheRoleOfTheirCommand() {
        assertEquals(Command.APPROVE, Command.of(Buttons.Kind.APPROVE));
        assertEquals(Command.REJECT, Command.of(Buttons.Kind.REJECT));
        assertEquals(Command.ACK, Command.of(Buttons.Kind.ACKNOWLEDGE));
        assertEquals(Command.MUTE, Command.of(Buttons.Kind.MUTE));
        assertEquals(Role.ADMIN, Command.of(Buttons.Kind.REBOOT).needed());
        assertEquals(Role.VIEWER, Command.of(Buttons.Kind.PAGE).needed());
    }

    @Test
    void strangersAndLowRolesAreRefusedPolitely() {
        Access stranger = Access.decide(CONFIG, 42, Command.HELP);
        assertInstanceOf(Access.Stranger.class, stranger);
        assertTrue(stranger.refusal().contains("42"), stranger.refusal());
        Access low = Access.decide(CONFIG, 2, Command.REBOOT);
        assertEquals(new Access.TooLow(new Actor(2, Role.OPERATOR), Role.ADMIN), low);
        assertEquals("Sorry, this needs the admin role; yours is operator.", low.refusal());
        assertEquals(new Access.Allowed(new Actor(3, Role.ADMIN)), Access.decide(CONFIG, 3, Command.REBOOT));
    }

    @Test
    void helpShowsWhatTheRoleMay() {
        assertTrue(!Views.help(Role.VIEWER).contains("/approve"));
        assertTrue(Views.help(Role.OPERATOR).contains("/mute &lt;host|group&gt; &lt;duration&gt;"));
        assertTrue(!Views.help(Role.OPERATOR).contains("/reboot"));
        assertTrue(Views.help(Role.ADMIN).contains("/reboot"));
    }

    private static boolean allowed(long user, Command command) {
        return Access.decide(CONFIG, user, command) instanceof Access.Allowed;
    }
}
