package dev.vigil.server.auth;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who a request comes from: an API token ({@code Authorization: Bearer …}), or a browser session (the
 * {@value #SESSION_COOKIE} cookie), or nobody. A credential that is present but not valid is never taken for
 * "nobody".
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "VIGIL_SESSION";
    public static final String XSRF_COOKIE = "XSRF-TOKEN";
    public static final String XSRF_HEADER = "X-XSRF-TOKEN";

    /** What a request proved. */
    public sealed interface Result {
    }

    public record Anonymous() implements Result {
    }

    public record Authenticated(Principal principal) implements Result {
    }

    /** Credentials that do not hold; {@code why} goes back to the caller. */
    public record Rejected(String why) implements Result {
    }

    private final Sessions sessions;
    private final ApiTokens tokens;

    public Authenticator(Sessions sessions, ApiTokens tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    public Result authenticate(ServerRequest request) {
        Optional<String> authorization = request.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.length() <= 7) {
                return new Rejected("the Authorization header must be \"Bearer <API token>\"");
            }
            return tokens.find(value.substring(7).strip())
                    .<Result>map(t -> new Authenticated(Principal.token(t.name(), t.role())))
                    .orElseGet(() -> new Rejected("the API token is unknown or revoked"));
        }
        Optional<String> cookie = request.headers().cookies().first(SESSION_COOKIE).asOptional();
        if (cookie.isPresent()) {
            return sessions.find(cookie.get())
                    .<Result>map(s -> new Authenticated(new Principal(s.username(), s.role(), Optional.of(s.id()),
                            Optional.of(s.userId()), Optional.of(s.csrfToken()))))
                    .orElseGet(() -> new Rejected("the session has ended: log in again"));
        }
        return new Anonymous();
    }

    /** A browser's unsafe request carries, in the header, the CSRF token stored with its session (not the cookie's). */
    public static boolean csrfHolds(ServerRequest request, Principal principal) {
        Optional<String> header = request.headers().first(io.helidon.http.HeaderNames.create(XSRF_HEADER));
        return header.isPresent() && principal.csrfToken().map(t -> Secrets.same(t, header.get())).orElse(false);
    }
}
