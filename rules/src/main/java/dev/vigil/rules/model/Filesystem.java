package dev.vigil.rules.model;

/** A mounted filesystem of a sample; {@code percent} as {@code df} shows it. */
public record Filesystem(String mountpoint, String device, String fstype, double percent) {
}
