package dev.vigil.server.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** Headers every response carries: no framing, no MIME sniffing, no referrer, scripts and styles only from here. */
public final class SecurityHeaders implements Filter {
    static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    static final String CSP = policy(null);

    /**
     * The policy: scripts only from this server, never inline or eval'd; styles from this server, plus — on the UI's
     * page — the elements that carry this response's nonce (CodeMirror injects its styles that way).
     */
    static String policy(String styleNonce) {
        return "default-src 'self'; script-src 'self'; style-src 'self'"
                + (styleNonce == null ? "" : " 'nonce-" + styleNonce + "'")
                + "; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
                + " frame-ancestors 'none'";
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        response.header(CONTENT_SECURITY_POLICY, CSP)
                .header(CONTENT_TYPE_OPTIONS, "nosniff")
                .header(REFERRER_POLICY, "no-referrer")
                .header(FRAME_OPTIONS, "DENY");
        if (request.path().path().startsWith("/api/")) {
            response.header(HeaderNames.CACHE_CONTROL, "no-store");
        }
        chain.proceed();
    }
}
