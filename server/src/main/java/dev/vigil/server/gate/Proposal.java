package dev.vigil.server.gate;

import java.util.Optional;

import dev.vigil.rules.model.Remediation;

/** A remediation someone (the rules, or a user) wants to run, before the gate has judged it. */
public record Proposal(long hostId, String type, String target, Optional<Long> pid, Optional<Double> createTime,
                       String reason) {
    public static Proposal of(Remediation remediation) {
        boolean kill = remediation.type().equals(Remediation.KILL_PROCESS);
        return new Proposal(remediation.hostId(), remediation.type(), remediation.target(),
                kill ? Optional.of(remediation.pid()) : Optional.empty(),
                kill ? Optional.of(remediation.createTime()) : Optional.empty(), remediation.reason());
    }
}
