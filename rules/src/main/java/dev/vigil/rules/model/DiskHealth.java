package dev.vigil.rules.model;

/**
 * The SMART overall health of one of the host's disks, as the agent last read it ({@code smartctl -H}; only from
 * agents with SMART checks enabled).
 *
 * @param device the disk ({@code /dev/sda})
 * @param passed false when the disk's own assessment says it is failing
 * @param status smartctl's word for it: {@code PASSED}, {@code OK}, {@code FAILED}, …
 */
public record DiskHealth(String device, boolean passed, String status) {
}
