package dev.vigil.server.store;

import jakarta.json.spi.JsonProvider;

/**
 * The server's one JSON-P provider. {@code JSON.createObjectBuilder()} and its siblings look the provider up
 * through the ServiceLoader on every call (jakartaee/jsonp-api#154): building the host list of a 1,000-host fleet
 * spent most of its time reading {@code META-INF/services} out of the jars.
 */
public final class Jsons {
    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsons() {
    }
}
