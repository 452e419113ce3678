package dev.vigil.server.events;

import java.time.Instant;

/**
 * Something that happened, as clients (the UI, the Telegram bot) are told: {@code incident_opened},
 * {@code incident_updated}, {@code incident_resolved}, {@code action_proposed}, {@code action_approved},
 * {@code action_dispatched}, {@code action_finished}, {@code host_down}, {@code host_up}, {@code rules_reloaded},
 * {@code server_stopping}; and to one resuming client, {@code reset}.
 *
 * @param id   increasing, across restarts and instances ({@link EventBus})
 * @param data the record it is about (an incident, an action, a {@link HostChange}, {@link RulesLoaded}) as the API
 *             renders it: JSON
 */
public record Event(long id, String type, Instant at, String data) {
}
