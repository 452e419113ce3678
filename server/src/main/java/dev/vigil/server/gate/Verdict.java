package dev.vigil.server.gate;

import java.time.Duration;
import java.time.Instant;

import dev.vigil.server.store.Action;
import dev.vigil.server.store.Host;

/**
 * The gate's judgement of one proposal (DESIGN §3.4), in this order: a maintenance window, the host's policy
 * (allowed services, killable processes), the budget per target, the reboot limits (one per host in 6 h, one
 * host of a group at a time), dry run (global or the host's), and approval for reboots unless the host allows
 * them automatically.
 *
 * @param budgetSpent true when the budget stopped it: the operator must hear of it
 */
public record Verdict(String status, String detail, boolean budgetSpent) {

    /** The limits; {@link #DEFAULTS} are 3 actions per target in 15 minutes, one reboot per host in 6 hours. */
    public record Limits(int budget, Duration budgetWindow, Duration rebootSpacing, Duration groupRebootWindow) {
        public static final Limits DEFAULTS = new Limits(3, Duration.ofMinutes(15), Duration.ofHours(6),
                Duration.ofMinutes(30));
    }

    public static Verdict judge(Proposal p, Host host, boolean globalDryRun, History history, Limits limits,
                                Instant now) {
        if (history.inMaintenance(host.id(), host.group(), now)) {
            return suppressed("a maintenance window covers " + host.name());
        }
        if (p.type().equals("restart_service") && !host.policy().allowedServices().contains(p.target())) {
            return suppressed(p.target() + " is not among the services " + host.name() + " allows to restart");
        }
        if (p.type().equals("kill_process") && !host.policy().killableProcesses().contains(p.target())) {
            return suppressed(p.target() + " is not among the processes " + host.name() + " allows to kill");
        }
        long recent = history.actionsOnTarget(host.id(), p.type(), p.target(), now.minus(limits.budgetWindow()));
        if (recent >= limits.budget()) {
            return new Verdict(Action.SUPPRESSED, "automatic " + words(p.type()) + " of " + p.target()
                    + " suppressed: " + recent + " already in the last " + limits.budgetWindow().toMinutes()
                    + " minutes (budget " + limits.budget() + ")", true);
        }
        if (p.type().equals("reboot")) {
            Verdict limited = rebootLimits(host, history, limits, now);
            if (limited != null) {
                return limited;
            }
        }
        if (globalDryRun || host.policy().dryRun()) {
            return new Verdict(Action.DRY_RUN, (globalDryRun ? "global" : "host") + " dry run: would "
                    + words(p.type()) + " " + p.target(), false);
        }
        if (p.type().equals("reboot") && !host.policy().autoReboot()) {
            return new Verdict(Action.PENDING_APPROVAL, "a reboot waits for an admin's approval", false);
        }
        if (!p.type().equals("reboot") && host.policy().requireApproval()) {
            return new Verdict(Action.PENDING_APPROVAL, "the policy of " + host.name() + " has every "
                    + words(p.type()) + " wait for an operator's approval", false);
        }
        return new Verdict(Action.APPROVED, "approved by the gate", false);
    }

    /** What still holds when someone approves a pending reboot: maintenance, reboot limits, dry run. */
    public static Verdict onApproval(Proposal p, Host host, boolean globalDryRun, History history, Limits limits,
                                     Instant now, String approver) {
        if (history.inMaintenance(host.id(), host.group(), now)) {
            return suppressed("a maintenance window covers " + host.name());
        }
        if (p.type().equals("reboot")) {
            Verdict limited = rebootLimits(host, history, limits, now);
            if (limited != null) {
                return limited;
            }
        }
        if (globalDryRun || host.policy().dryRun()) {
            return new Verdict(Action.DRY_RUN, "approved by " + approver + ", but dry run is on", false);
        }
        return new Verdict(Action.APPROVED, "approved by " + approver, false);
    }

    private static Verdict rebootLimits(Host host, History history, Limits limits, Instant now) {
        if (history.reboots(host.id(), now.minus(limits.rebootSpacing())) > 0) {
            return suppressed(host.name() + " was rebooted less than " + limits.rebootSpacing().toHours()
                    + " hours ago");
        }
        if (host.group().isPresent()
                && history.groupReboots(host.group().get(), host.id(), now.minus(limits.groupRebootWindow())) > 0) {
            return suppressed("another host of group " + host.group().get() + " is rebooting");
        }
        return null;
    }

    private static Verdict suppressed(String why) {
        return new Verdict(Action.SUPPRESSED, why, false);
    }

    private static String words(String type) {
        return switch (type) {
            case "restart_service" -> "restart";
            case "kill_process" -> "kill";
            default -> type;
        };
    }
}
