package dev.vigil.server.gate;

import java.util.Optional;

import dev.vigil.rules.model.Remediation;

/**
 * A remediation someone (the rules, or a user) wants to run, before the gate has judged it.
 *
 * @param incidentId the incident it addresses, when there is one
 */
public record Proposal(long hostId, String type, String target, Optional<Long> pid, Optional<Double> createTime,
                       String reason, Optional<Long> incidentId) {
    /** @param incidentId the open incident the remediation addresses, if the rules raised one */
    public static Proposal of(Remediation remediation, Optional<Long> incidentId) {
        boolean kill = remediation.type().equals(Remediation.KILL_PROCESS);
        return new Proposal(remediation.hostId(), remediation.type(), remediation.target(),
                kill ? Optional.of(remediation.pid()) : Optional.empty(),
                kill ? Optional.of(remediation.createTime()) : Optional.empty(), remediation.reason(), incidentId);
    }
}
