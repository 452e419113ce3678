package dev.vigil.settings;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * Where {@link Settings} reads from: a tree of dotted keys ({@code vigil.agent.dry.run}). Helidon config is one
 * source; a flat map is the other, for a program that must not pay for Helidon config's classes (the agent).
 */
@FunctionalInterface
public interface SettingsSource {

    /** What is at {@code key}. */
    Node node(String key);

    /** A key's content: a value, a list of values, a list of sections, a section (keys below it only), or nothing. */
    record Node(Kind kind, String value, List<String> items) {
        static final Node MISSING = new Node(Kind.MISSING, null, null);
        static final Node SECTION = new Node(Kind.SECTION, null, null);
        static final Node LIST_OF_SECTIONS = new Node(Kind.LIST_OF_SECTIONS, null, null);

        static Node value(String value) {
            return new Node(Kind.VALUE, value, null);
        }

        static Node list(List<String> items) {
            return new Node(Kind.LIST, null, List.copyOf(items));
        }

        boolean isList() {
            return kind == Kind.LIST || kind == Kind.LIST_OF_SECTIONS;
        }
    }

    enum Kind { VALUE, LIST, LIST_OF_SECTIONS, SECTION, MISSING }

    /** Helidon config's tree, lists (from YAML) included. */
    static SettingsSource of(Config root) {
        return key -> {
            Config node = root.get(key);
            if (node.isList()) {
                try {
                    return Node.list(node.asList(String.class).get());
                } catch (ConfigException notValues) {
                    return Node.LIST_OF_SECTIONS;
                }
            }
            return node.asString().asOptional().map(Node::value)
                    .orElse(node.type() == Config.Type.OBJECT ? Node.SECTION : Node.MISSING);
        };
    }

    /** Flat keys and values, lists written as comma lists; a key with keys below it and no value is a section. */
    static SettingsSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return key -> {
            String value = copy.get(key);
            if (value != null) {
                return Node.value(value);
            }
            String below = key + ".";
            return copy.keySet().stream().anyMatch(k -> k.startsWith(below)) ? Node.SECTION : Node.MISSING;
        };
    }

    /**
     * The environment over the system properties over {@code defaults}, as Helidon config merges them: a variable
     * such as {@code VIGIL_AGENT_DRY_RUN} is also the key {@code vigil.agent.dry.run} (and {@code VIGIL.AGENT.DRY.RUN}).
     */
    static SettingsSource layered(Map<String, String> environment, Properties systemProperties,
                                  Map<String, String> defaults) {
        Map<String, String> merged = new HashMap<>(defaults);
        systemProperties.stringPropertyNames().forEach(name -> merged.put(name, systemProperties.getProperty(name)));
        environment.forEach((name, value) -> {
            merged.put(name, value);
            if (aliased(name)) {
                String dotted = name.replace('_', '.');
                merged.put(dotted, value);
                merged.put(dotted.toLowerCase(Locale.ROOT), value);
            }
        });
        return of(merged);
    }

    /** Helidon's rule for which variables get dotted aliases. */
    private static boolean aliased(String name) {
        return name.length() > 2 && !name.startsWith("_") && !name.endsWith("_") && name.contains("_")
                && !name.contains("__");
    }
}
