package dev.vigil.server.events;

/** A host went down or came back up, as the poller saw it ({@code host_down}, {@code host_up}). */
public record HostChange(long hostId, String status, String reason) {
}
