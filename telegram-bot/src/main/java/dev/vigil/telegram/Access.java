package dev.vigil.telegram;

import java.util.Optional;

/**
 * Who may do what, decided before any call to the server: a user in the configured list with at least the
 * command's role is {@link Allowed} (and the server checks again, as {@code telegram:<id>}); anyone else is refused.
 */
public sealed interface Access {
    /** Acts as this Telegram user. */
    record Allowed(Actor actor) implements Access {
    }

    /** Not in the list of Telegram users. */
    record Stranger(long userId) implements Access {
    }

    /** In the list, with a role below the command's. */
    record TooLow(Actor actor, Actor.Role needed) implements Access {
    }

    static Access decide(BotConfig config, long userId, Command command) {
        Optional<Actor.Role> role = config.role(userId);
        if (role.isEmpty()) {
            return new Stranger(userId);
        }
        Actor actor = new Actor(userId, role.get());
        return role.get().atLeast(command.needed()) ? new Allowed(actor) : new TooLow(actor, command.needed());
    }

    /** The polite refusal shown to the user (plain text: it also goes into a button's toast). */
    default String refusal() {
        return switch (this) {
            case Allowed allowed -> throw new IllegalStateException("not refused");
            case Stranger stranger -> "Sorry, you are not allowed to use this Vigil bot. A Vigil admin can add your"
                    + " Telegram user id " + stranger.userId() + " in the Telegram panel.";
            case TooLow low -> "Sorry, this needs the " + low.needed().json() + " role; yours is "
                    + low.actor().role().json() + ".";
        };
    }
}
