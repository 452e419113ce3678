package dev.vigil.server.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.vigil.server.store.AgentToken;
import dev.vigil.server.store.Host;
import dev.vigil.server.store.Host.Policy;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.vigil.server.store.Jsons.JSON;

/** The JSON of a host (§3.3 of the design): read with every field checked, written without its tokens. */
final class HostJson {
    /** The longest name, group, label or policy entry; a URL may be as long as its column, 2048; tokens: AgentToken. */
    private static final int MAX_TEXT = 255;
    private static final int MAX_URL = 2048;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    static final Access.Input INPUT = Access.Input.body("name", "url", "token", "action_token", "interval_seconds",
            "group", "labels", "policy");
    private static final Set<String> POLICY_FIELDS = Set.of("allowed_services", "killable_processes", "auto_reboot",
            "dry_run", "require_approval");

    private HostJson() {
    }

    /** A new host: name, url and token are required. */
    static Host.Spec create(JsonObject json) {
        Host.Spec spec = checkedTokens(spec(json));
        if (spec.token().isEmpty()) {
            throw ApiErrors.badRequest("\"token\" (the agent's read token) is required");
        }
        return spec;
    }

    /** An update: name and url are required again; tokens left out stay as stored. */
    static Host.Spec update(JsonObject json) {
        return checkedTokens(spec(json));
    }

    /** The tokens become a request header on every poll and action: refused here, not at each use. */
    private static Host.Spec checkedTokens(Host.Spec spec) {
        spec.token().flatMap(AgentToken::problem).ifPresent(problem -> {
            throw ApiErrors.badRequest("\"token\" " + problem);
        });
        spec.actionToken().filter(token -> !token.isEmpty()).flatMap(AgentToken::problem).ifPresent(problem -> {
            throw ApiErrors.badRequest("\"action_token\" " + problem + " (\"\" removes it)");
        });
        return spec;
    }

    private static Host.Spec spec(JsonObject json) {
        String name = string(json, "name").orElseThrow(() -> ApiErrors.badRequest("\"name\" is required"));
        if (!NAME.matcher(name).matches()) {
            throw ApiErrors.badRequest("\"name\" must be 1–255 letters, digits, dots, dashes or underscores");
        }
        URI url = url(JsonBodies.text(json, "url", MAX_URL).orElseThrow(() -> ApiErrors.badRequest(
                "\"url\" is required")));
        Optional<String> token = JsonBodies.verbatim(json, "token");
        Optional<Integer> interval = JsonBodies.whole(json, "interval_seconds", Host.MIN_INTERVAL_SECONDS,
                Host.MAX_INTERVAL_SECONDS).map(Long::intValue);
        return new Host.Spec(name, url, token, JsonBodies.verbatim(json, "action_token"), interval,
                string(json, "group").filter(g -> !g.isBlank()), labels(json), policy(json));
    }

    static JsonObject write(Host host) {
        JsonObjectBuilder labels = JSON.createObjectBuilder();
        host.labels().forEach(labels::add);
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", host.id())
                .add("name", host.name())
                .add("url", host.url().toString())
                .add("labels", labels)
                .add("policy", JSON.createObjectBuilder()
                        .add("allowed_services", strings(host.policy().allowedServices()))
                        .add("killable_processes", strings(host.policy().killableProcesses()))
                        .add("auto_reboot", host.policy().autoReboot())
                        .add("dry_run", host.policy().dryRun())
                        .add("require_approval", host.policy().requireApproval()))
                .add("has_action_token", host.hasActionToken())
                .add("created_at", host.createdAt().toString())
                .add("updated_at", host.updatedAt().toString());
        host.group().ifPresentOrElse(g -> json.add("group", g), () -> json.addNull("group"));
        host.intervalSeconds().ifPresentOrElse(s -> json.add("interval_seconds", s),
                () -> json.addNull("interval_seconds"));
        return json.build();
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    private static URI url(String value) {
        try {
            URI url = new URI(value);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw ApiErrors.badRequest("\"url\" must be the agent's http:// or https:// address, not " + value);
            }
            // the URL is shown by the API and written to logs and the audit: no place for a password
            if (url.getRawUserInfo() != null) {
                throw ApiErrors.badRequest("\"url\" must not hold a user or password: the agent takes \"token\"");
            }
            if (url.getRawQuery() != null || url.getRawFragment() != null) {
                throw ApiErrors.badRequest("\"url\" must be the agent's address without ?query or #fragment (the"
                        + " server adds the paths)");
            }
            return url;
        } catch (URISyntaxException e) {
            throw ApiErrors.badRequest("\"url\" is not a URL: " + e.getMessage());
        }
    }

    private static Map<String, String> labels(JsonObject json) {
        JsonValue value = json.get("labels");
        if (value == null || value == JsonValue.NULL) {
            return Map.of();
        }
        if (!(value instanceof JsonObject labels)) {
            throw ApiErrors.badRequest("\"labels\" must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            Values.text("labels", k, MAX_TEXT, false);
            if (!(v instanceof JsonString s)) {
                throw ApiErrors.badRequest("\"labels\": label \"" + k + "\" must be a string");
            }
            result.put(k, Values.text("labels", s.getString(), MAX_TEXT, false));
        });
        return result;
    }

    private static Policy policy(JsonObject json) {
        JsonValue value = json.get("policy");
        if (value == null || value == JsonValue.NULL) {
            return Policy.NONE;
        }
        if (!(value instanceof JsonObject policy)) {
            throw ApiErrors.badRequest("\"policy\" must be an object");
        }
        for (String field : policy.keySet()) {
            if (!POLICY_FIELDS.contains(field)) {
                throw ApiErrors.badRequest("\"policy\": unknown policy field \"" + ApiErrors.shown(field) + "\"");
            }
        }
        return new Policy(stringList(policy, "allowed_services"), stringList(policy, "killable_processes"),
                bool(policy, "auto_reboot"), bool(policy, "dry_run"), bool(policy, "require_approval"));
    }

    private static List<String> stringList(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw ApiErrors.badRequest("\"" + name + "\" must be a list of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonValue item : value.asJsonArray()) {
            if (!(item instanceof JsonString s) || s.getString().isBlank()) {
                throw ApiErrors.badRequest("\"" + name + "\" must be a list of non-empty strings");
            }
            result.add(Values.text(name, s.getString(), MAX_TEXT, false));
        }
        return result;
    }

    private static boolean bool(JsonObject json, String name) {
        return JsonBodies.bool(json, name).orElse(false);
    }

    private static Optional<String> string(JsonObject json, String name) {
        return JsonBodies.text(json, name, MAX_TEXT);
    }
}
