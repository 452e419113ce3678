package dev.vigil.agent.http;

import java.io.IOException;

/**
 * Answers one route. It answers exactly once, through {@link Exchange#send} or {@link Exchange#stream}; an
 * exception it throws is logged and, when nothing was sent yet, answered 500 without its trace. An
 * {@link IOException} from writing means the client is gone.
 */
@FunctionalInterface
public interface Handler {
    void handle(Exchange exchange) throws IOException;
}
