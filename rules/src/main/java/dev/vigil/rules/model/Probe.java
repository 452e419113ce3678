package dev.vigil.rules.model;

/**
 * The latest result of one of the agent's probes: a check that a service answers (an HTTP GET, a TCP connect),
 * and the systemd unit whose health it vouches for.
 *
 * @param error               why the check failed ({@code HTTP 503}, {@code connection refused}, …); null when ok
 * @param consecutiveFailures failed checks in a row, 0 when the last one passed
 */
public record Probe(String name, String unit, boolean ok, double latencyMs, String error, int consecutiveFailures) {
}
