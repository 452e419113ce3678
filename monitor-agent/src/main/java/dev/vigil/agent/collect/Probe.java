package dev.vigil.agent.collect;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A check that a service answers — an HTTP GET or a TCP connect — made on behalf of the systemd unit it vouches
 * for: the probe's name when that is a unit name already ({@code redis-server.service}), else the name with
 * {@code .service}.
 */
public record Probe(String name, String unit, URI target) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+");
    private static final Set<String> UNIT_TYPES = Set.of("service", "socket", "target", "mount", "automount", "swap",
            "path", "timer", "slice", "scope", "device");

    /** Reads {@code name=target}; what is wrong with a malformed entry is an {@link IllegalArgumentException}. */
    public static Probe parse(String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            throw malformed(entry, "expected name=target");
        }
        String name = entry.substring(0, equals).strip();
        if (!NAME.matcher(name).matches()) {
            throw malformed(entry, "the name may hold letters, digits and : _ . @ \\ - (as a systemd unit name)");
        }
        URI target;
        try {
            target = new URI(entry.substring(equals + 1).strip());
        } catch (URISyntaxException e) {
            throw malformed(entry, "the target is not a URL: " + e.getReason());
        }
        boolean valid = switch (String.valueOf(target.getScheme())) {
            case "http", "https" -> target.getHost() != null;
            case "tcp" -> target.getHost() != null && target.getPort() > 0 && target.getRawPath().isEmpty()
                    && target.getRawQuery() == null;
            default -> false;
        };
        if (!valid) {
            throw malformed(entry, "the target must be http://host/…, https://host/… or tcp://host:port");
        }
        int dot = name.lastIndexOf('.');
        boolean namesAUnit = dot > 0 && UNIT_TYPES.contains(name.substring(dot + 1));
        return new Probe(name, namesAUnit ? name : name + ".service", target);
    }

    private static IllegalArgumentException malformed(String entry, String why) {
        return new IllegalArgumentException("'" + entry + "': " + why);
    }

    public boolean http() {
        return !target.getScheme().equals("tcp");
    }
}
