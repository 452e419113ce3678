package dev.vigil.settings.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.helidon.config.Config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks, shared by the agent's and the server's tests, that a component reads every typed setting strictly.
 * The settings of a type are found by the shape of their defaults in the component's bundled
 * {@code application.yaml}, so a new setting there is checked without a test naming it.
 *
 * @param bundled  the component's bundled defaults
 * @param section  where its settings are ({@code vigil.agent})
 * @param required settings the component does not start without ({@code vigil.agent.token})
 * @param read     reads the component's configuration from these keys and values
 */
public record StrictSettingsChecks(Config bundled, String section, Map<String, String> required,
                                   Consumer<Map<String, String>> read) {

    /** The message of the refusal to read {@code key=value} with the required settings. */
    public String refusal(String key, String value) {
        Map<String, String> settings = new HashMap<>(required);
        settings.put(key, value);
        return assertThrows(IllegalArgumentException.class, () -> read.accept(settings), key + "=" + value)
                .getMessage();
    }

    public void everyBooleanRefuses(List<String> garbage) {
        for (String key : keys("true|false")) {
            for (String value : garbage) {
                assertEquals(variable(key) + " must be true or false, not '" + value + "'", refusal(key, value));
            }
        }
    }

    public void everyNumberRefuses(List<String> garbage) {
        everyKeyRefuses("[0-9]+", garbage, " must be a whole number from ");
    }

    public void everyDurationRefuses(List<String> garbage) {
        everyKeyRefuses("[0-9]+(ms|s|m|h|d)", garbage, " must be a duration from ");
    }

    private void everyKeyRefuses(String defaultShape, List<String> garbage, String mustBe) {
        for (String key : keys(defaultShape)) {
            for (String value : garbage) {
                String message = refusal(key, value);
                assertTrue(message.startsWith(variable(key) + mustBe), message);
                assertTrue(message.endsWith(", not '" + value + "'"), message);
            }
        }
    }

    /** The bundled keys whose default has this shape: the settings of one type. */
    private List<String> keys(String defaultShape) {
        List<String> keys = bundled.get(section).traverse().filter(Config::isLeaf)
                .filter(node -> node.asString().get().matches(defaultShape))
                .map(node -> node.key().toString()).sorted().toList();
        assertFalse(keys.isEmpty(), "no bundled default looks like " + defaultShape);
        return keys;
    }

    private static String variable(String key) {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The environment variables a text (--help, a docs page) names, by a pattern such as {@code VIGIL_[A-Z_]*[A-Z]}. */
    public static Set<String> variablesIn(String text, String variable) {
        return Pattern.compile(variable).matcher(text).results().map(MatchResult::group)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
