package dev.vigil.rules.model;

import java.util.Map;
import java.util.Set;

/**
 * A monitored host as the rules see it: its group, its labels and what its policy lets remediation touch.
 *
 * @param labels            free-form labels; a label named like a limit overrides that limit for this host
 * @param killableProcesses process names the host's policy allows to be killed
 */
public record Host(long id, String name, String group, Map<String, String> labels, Set<String> allowedServices,
                   Set<String> killableProcesses, boolean autoReboot) {

    public Host {
        labels = Map.copyOf(labels);
        allowedServices = Set.copyOf(allowedServices);
        killableProcesses = Set.copyOf(killableProcesses);
    }

    /**
     * A limit a rule compares with: the host's label {@code name} when it holds a number, else {@code fallback}.
     * A label {@code cpu_warning_percent=95} on a build server moves its CPU warning from 90% to 95%.
     */
    public double limit(String name, double fallback) {
        String value = labels.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException notANumber) {
            return fallback;
        }
    }

    public boolean mayKill(String processName) {
        return killableProcesses.contains(processName);
    }
}
