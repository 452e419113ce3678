package dev.vigil.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * How a Vigil program starts from the command line: {@code --help} prints its help; otherwise its settings are read
 * strictly from Helidon config (the environment over {@code application.yaml}), variables that look like its own
 * but that nothing read are named in a warning, and it starts. A setting that cannot be read ends the JVM with one
 * line naming it and exit code 2; any other failure to start with one line and exit code 1 — never a stack trace.
 */
public final class Launch {
    private Launch() {
    }

    /**
     * @param program  the name the error lines begin with ({@code vigil-server})
     * @param unknown  the variables of the environment that are no settings of the program
     * @param start    reads the program's settings and starts it
     * @return what {@code start} started, or empty after {@code --help}
     */
    public static <T> Optional<T> start(String program, String[] args, String help, Logger log,
                                        BiFunction<Settings, Map<String, String>, List<String>> unknown,
                                        Function<Settings, T> start) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(help);
            return Optional.empty();
        }
        try {
            Settings settings = Settings.of(Config.create());
            T started = start.apply(settings);
            List<String> ignored = unknown.apply(settings, System.getenv());
            if (!ignored.isEmpty()) {
                log.warning("Not settings of " + program + ", ignored (a typo? see --help): "
                        + String.join(", ", ignored));
            }
            return Optional.of(started);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println(program + ": cannot start: " + e.getMessage());
            System.exit(1);
        }
        return Optional.empty();
    }
}
