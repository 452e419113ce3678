package dev.vigil.server.store;

import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.server.store.Host.Credentials;
import dev.vigil.server.store.Host.Policy;
import dev.vigil.server.store.Host.Spec;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

import static dev.vigil.server.store.Jsons.JSON;

/** The registry of agents: hosts with their tokens sealed by the {@link SecretBox}. */
public final class HostStore {
    private final DbClient db;
    private final SecretBox secrets;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told of every change of the registry, after it is stored (the poller keeps its schedules by it). */
    public interface Listener {
        void registered(Host host, Credentials credentials);

        /** The host is gone from the registry. */
        void removed(long hostId);

        /**
         * The host is still registered but no longer handled here: another server instance owns it now
         * (docs/scaling.md). What is open about it stays open for the new owner.
         */
        default void released(long hostId) {
            removed(hostId);
        }
    }

    /** A second host with the same name. */
    public static final class DuplicateName extends RuntimeException {
        DuplicateName(String name) {
            super("a host named \"" + name + "\" exists already", null, false, false);
        }
    }

    public HostStore(DbClient db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public List<Host> list() {
        return db.execute().namedQuery("select-hosts").map(this::host).toList();
    }

    public Optional<Host> find(long id) {
        return db.execute().namedGet("select-host", id).map(this::host);
    }

    public Optional<Credentials> credentials(long id) {
        return db.execute().namedGet("select-host", id).map(row -> new Credentials(
                secrets.open(row.column("token_enc").get(byte[].class)),
                Optional.ofNullable(row.column("action_token_enc").get(byte[].class)).map(secrets::open)));
    }

    public Host create(Spec spec) {
        String token = spec.token().orElseThrow(() -> new IllegalArgumentException("a new host needs its token"));
        Map<String, Object> params = params(spec, secrets.seal(token),
                spec.actionToken().filter(t -> !t.isBlank()).map(secrets::seal).orElse(null));
        write(spec.name(), () -> db.execute().createNamedInsert("insert-host").params(params).execute());
        Host host = db.execute().namedGet("select-host-by-name", spec.name()).map(this::host).orElseThrow();
        announce(host);
        return host;
    }

    private void announce(Host host) {
        Credentials credentials = credentials(host.id()).orElseThrow();
        listeners.forEach(listener -> listener.registered(host, credentials));
    }

    /** Updates a host; tokens left out of the spec stay as they are. Empty when there is no such host. */
    public Optional<Host> update(long id, Spec spec) {
        Optional<DbRow> current = db.execute().namedGet("select-host", id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        byte[] token = spec.token().map(secrets::seal).orElse(current.get().column("token_enc").get(byte[].class));
        byte[] actionToken;
        if (spec.actionToken().isEmpty()) {
            actionToken = current.get().column("action_token_enc").get(byte[].class);
        } else {
            actionToken = spec.actionToken().get().isBlank() ? null : secrets.seal(spec.actionToken().get());
        }
        Map<String, Object> params = params(spec, token, actionToken);
        params.put("id", id);
        write(spec.name(), () -> db.execute().createNamedUpdate("update-host").params(params).execute());
        Optional<Host> updated = find(id);
        updated.ifPresent(this::announce);
        return updated;
    }

    public boolean delete(long id) {
        boolean deleted = db.execute().namedDelete("delete-host", id) > 0;
        if (deleted) {
            listeners.forEach(listener -> listener.removed(id));
        }
        return deleted;
    }

    private static void write(String name, Runnable statement) {
        try {
            statement.run();
        } catch (DbClientException e) {
            if (Database.violatesConstraint(e)) {
                throw new DuplicateName(name);
            }
            throw e;
        }
    }

    private static Map<String, Object> params(Spec spec, byte[] token, byte[] actionToken) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", spec.name());
        params.put("url", spec.url().toString());
        params.put("token", token);
        params.put("actionToken", actionToken);
        params.put("interval", spec.intervalSeconds().orElse(null));
        params.put("hostGroup", spec.group().orElse(null));
        params.put("labels", labelsJson(spec.labels()));
        params.put("policy", policyJson(spec.policy()));
        return params;
    }

    private Host host(DbRow row) {
        return new Host(
                row.column("id").get(Long.class),
                row.column("name").get(String.class),
                URI.create(row.column("url").get(String.class)),
                Optional.ofNullable(row.column("interval_seconds").get(Integer.class)),
                Optional.ofNullable(row.column("host_group").get(String.class)),
                labels(row.column("labels").get(String.class)),
                policy(row.column("policy").get(String.class)),
                row.column("action_token_enc").get(byte[].class) != null,
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    private static Instant instant(DbRow row, String column) {
        Object value = row.column(column).get();
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.atZone(java.time.ZoneId.systemDefault()).toInstant();
        }
        throw new IllegalStateException(column + " is a " + (value == null ? "null" : value.getClass().getName()));
    }

    static String labelsJson(Map<String, String> labels) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        labels.forEach(json::add);
        return json.build().toString();
    }

    static Map<String, String> labels(String json) {
        Map<String, String> labels = new LinkedHashMap<>();
        read(json).forEach((k, v) -> labels.put(k, ((JsonString) v).getString()));
        return labels;
    }

    static String policyJson(Policy policy) {
        JsonArrayBuilder services = JSON.createArrayBuilder();
        policy.allowedServices().forEach(services::add);
        JsonArrayBuilder processes = JSON.createArrayBuilder();
        policy.killableProcesses().forEach(processes::add);
        return JSON.createObjectBuilder()
                .add("allowed_services", services)
                .add("killable_processes", processes)
                .add("auto_reboot", policy.autoReboot())
                .add("dry_run", policy.dryRun())
                .add("require_approval", policy.requireApproval())
                .build().toString();
    }

    static Policy policy(String json) {
        JsonObject p = read(json);
        return new Policy(
                p.getJsonArray("allowed_services").getValuesAs(JsonString::getString),
                p.getJsonArray("killable_processes").getValuesAs(JsonString::getString),
                p.getBoolean("auto_reboot"),
                p.getBoolean("dry_run"),
                p.getBoolean("require_approval", false));
    }

    private static JsonObject read(String json) {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
