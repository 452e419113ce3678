package dev.vigil.server.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.vigil.server.model.Role;
import dev.vigil.server.events.EventBus;
import dev.vigil.server.poll.Poller;
import dev.vigil.server.store.AuditLog;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.Retention;
import dev.vigil.server.store.SettingsStore;
import dev.vigil.server.store.StoredSettings;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/settings} (admin): the settings that change at run time. A change is stored, in force at once —
 * the gate's next decision reads the dry run, retention's next run the days, the poller reschedules the hosts
 * without an interval of their own —, audited with who, old → new and why, and published as
 * {@code settings_changed}. Turning the dry run off needs a reason.
 */
public final class SettingsService implements Access.Resource {
    static final int MAX_REASON = 1000;

    private final SettingsStore settings;
    private final Poller poller;
    private final AuditLog audit;
    private final EventBus events;
    private final Clock clock;
    private final ReentrantLock changing = new ReentrantLock();

    public SettingsService(SettingsStore settings, Poller poller, AuditLog audit, EventBus events, Clock clock) {
        this.settings = settings;
        this.poller = poller;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/settings", Role.ADMIN, (request, response) ->
                        JsonBodies.send(response, Status.OK_200, json(settings.current())))
                .put("/api/v1/settings", Role.ADMIN, Access.Input.body("retention_days", "dry_run",
                        "poll_interval_seconds", "reason"), this::change);
    }

    private void change(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        // one change at a time, so that each audit entry's "old" is what the change replaced
        changing.lock();
        try {
            change(request, response, body);
        } finally {
            changing.unlock();
        }
    }

    private void change(ServerRequest request, ServerResponse response, JsonObject body) {
        StoredSettings before = settings.current();
        StoredSettings after = new StoredSettings(
                JsonBodies.whole(body, "retention_days", Retention.MIN_DAYS, Retention.MAX_DAYS)
                        .map(Long::intValue).orElse(before.retentionDays()),
                JsonBodies.bool(body, "dry_run").orElse(before.dryRun()),
                JsonBodies.whole(body, "poll_interval_seconds", Host.MIN_INTERVAL_SECONDS, Host.MAX_INTERVAL_SECONDS)
                        .map(Long::intValue).orElse(before.pollIntervalSeconds()));
        Optional<String> reason = JsonBodies.text(body, "reason", MAX_REASON).map(String::strip)
                .filter(r -> !r.isEmpty());
        if (before.dryRun() && !after.dryRun() && reason.isEmpty()) {
            throw ApiErrors.badRequest("turning the dry run off lets Vigil act on hosts: say why in \"reason\"");
        }
        if (after.equals(before)) {
            JsonBodies.send(response, Status.OK_200, json(before));
            return;
        }
        Instant now = clock.instant();
        settings.write(after, Access.who(request), now);
        audit.record(now, Access.who(request), "settings_changed", "settings", changes(before, after)
                + reason.map(r -> " (reason: " + r + ")").orElse(""));
        if (after.pollIntervalSeconds() != before.pollIntervalSeconds()) {
            poller.defaultInterval(after.pollIntervalSeconds());
        }
        events.publish("settings_changed", after);
        JsonBodies.send(response, Status.OK_200, json(after));
    }

    /** {@code dry_run: true → false; retention_days: 14 → 7}: only what changed. */
    private static String changes(StoredSettings before, StoredSettings after) {
        JsonObject old = json(before);
        JsonObject now = json(after);
        List<String> changes = new ArrayList<>();
        now.forEach((name, value) -> {
            if (!value.equals(old.get(name))) {
                changes.add(name + ": " + old.get(name) + " → " + value);
            }
        });
        return String.join("; ", changes);
    }

    static JsonObject json(StoredSettings s) {
        return JSON.createObjectBuilder()
                .add("retention_days", s.retentionDays())
                .add("dry_run", s.dryRun())
                .add("poll_interval_seconds", s.pollIntervalSeconds())
                .build();
    }
}
