package dev.vigil.telegram;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.vigil.telegram.Actor.Role;

/** The bot's commands, each with the least role that may use it (the role matrix of docs/telegram.md). */
public enum Command {
    START(Role.VIEWER, "", "what this bot is"),
    HELP(Role.VIEWER, "", "these commands"),
    STATS(Role.VIEWER, "[host]", "the fleet at a glance, or one host's numbers, services, probes and incidents"),
    WARN(Role.VIEWER, "", "open incidents, critical first"),
    HOSTS(Role.VIEWER, "", "every host and its state"),
    ACTIONS(Role.VIEWER, "", "actions waiting for an approval, with buttons"),
    APPROVE(Role.OPERATOR, "<action id>", "approve an action (a reboot needs an admin)"),
    REJECT(Role.OPERATOR, "<action id>", "reject an action"),
    ACK(Role.OPERATOR, "<incident id>", "acknowledge an incident"),
    MUTE(Role.OPERATOR, "<host|group> <duration>", "a maintenance window: 30m, 2h, 1d (at most 7d)"),
    REBOOT(Role.ADMIN, "<host>", "propose a reboot (after a confirmation; the gate may hold it for approval)");

    private final Role needed;
    private final String arguments;
    private final String description;

    Command(Role needed, String arguments, String description) {
        this.needed = needed;
        this.arguments = arguments;
        this.description = description;
    }

    public Role needed() {
        return needed;
    }

    /** As typed, without the slash: {@code stats}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code /mute <host|group> <duration>}. */
    public String usage() {
        return "/" + word() + (arguments.isEmpty() ? "" : " " + arguments);
    }

    public String description() {
        return description;
    }

    public static Optional<Command> of(String word) {
        return Arrays.stream(values()).filter(c -> c.word().equals(word)).findFirst();
    }

    /** The role a button press needs: as the command that does the same. */
    public static Command of(Buttons.Kind press) {
        return switch (press) {
            case APPROVE -> APPROVE;
            case REJECT -> REJECT;
            case ACKNOWLEDGE -> ACK;
            case MUTE -> MUTE;
            case REBOOT -> REBOOT;
            case PAGE -> HOSTS;
        };
    }
}
