package dev.vigil.rules.model;

import java.time.Duration;

import org.kie.api.definition.type.Role;

/**
 * An intent to fix something: restart a service, kill a process, reboot the host. The gate decides whether it
 * runs. It stays in the session for {@link #REMEMBERED}, so that rules can see what was proposed recently and not
 * propose it again every sample.
 *
 * @param type       {@code restart_service}, {@code kill_process} or {@code reboot}
 * @param target     the unit, the process name, or the host's name for a reboot
 * @param pid        for {@code kill_process}: the process, with {@code createTime} against PID reuse; else 0
 * @param cause      the key ({@link Warning#key()}) of the warning whose incident this remediation addresses
 */
@Role(Role.Type.EVENT)
public record Remediation(long hostId, String type, String target, String reason, long pid, double createTime,
                          String cause) {
    /** How long the session keeps a remediation after the rules proposed it, on its clock. */
    public static final Duration REMEMBERED = Duration.ofMinutes(15);
    public static final String RESTART_SERVICE = "restart_service";
    public static final String KILL_PROCESS = "kill_process";
    public static final String REBOOT = "reboot";

    public static Remediation restart(long hostId, String unit, String cause, String reason) {
        return new Remediation(hostId, RESTART_SERVICE, unit, reason, 0, 0, cause);
    }

    public static Remediation kill(long hostId, Process process, String cause, String reason) {
        return new Remediation(hostId, KILL_PROCESS, process.name(), reason, process.pid(), process.createTime(),
                cause);
    }

    public static Remediation reboot(long hostId, String hostName, String cause, String reason) {
        return new Remediation(hostId, REBOOT, hostName, reason, 0, 0, cause);
    }
}
