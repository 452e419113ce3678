package dev.vigil.server.auth;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.vigil.server.model.Role;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who a request comes from: an API token ({@code Authorization: Bearer …}), or a browser session (the
 * {@value #SESSION_COOKIE} cookie), or nobody. A credential that is present but not valid is never taken for
 * "nobody".
 *
 * <p>An API token may act for a Telegram user (the bot does, for each command and button press): with
 * {@value #TELEGRAM_USER} and {@value #TELEGRAM_ROLE} the request runs as {@code telegram:<id>} with the lower of
 * the token's role and the declared one. Only both headers, well formed, with an API token, are taken; anything
 * else is {@link Malformed}, never ignored — a request meant to run with a Telegram user's lower role must not run
 * with the token's.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "VIGIL_SESSION";
    public static final String XSRF_COOKIE = "XSRF-TOKEN";
    public static final String XSRF_HEADER = "X-XSRF-TOKEN";
    public static final String TELEGRAM_USER = "X-Vigil-Telegram-User";
    public static final String TELEGRAM_ROLE = "X-Vigil-Telegram-Role";
    private static final HeaderName TELEGRAM_USER_HEADER = HeaderNames.create(TELEGRAM_USER);
    private static final HeaderName TELEGRAM_ROLE_HEADER = HeaderNames.create(TELEGRAM_ROLE);
    private static final Pattern TELEGRAM_USER_ID = Pattern.compile("[0-9]{1,15}");

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

    /**
     * Delegation headers that cannot be taken (a bad request, not a failed authentication); {@code caller} is who
     * the credentials name, for the audit.
     */
    public record Malformed(Optional<Principal> caller, String why) implements Result {
    }

    private final Sessions sessions;
    private final ApiTokens tokens;

    public Authenticator(Sessions sessions, ApiTokens tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    public Result authenticate(ServerRequest request) {
        Result result = credentials(request);
        List<String> user = request.headers().all(TELEGRAM_USER_HEADER, List::of);
        List<String> role = request.headers().all(TELEGRAM_ROLE_HEADER, List::of);
        if (user.isEmpty() && role.isEmpty()) {
            return result;
        }
        if (result instanceof Rejected) {
            return result;
        }
        if (result instanceof Authenticated(Principal caller) && !caller.browser()) {
            return delegate(caller, user, role);
        }
        return result instanceof Authenticated(Principal caller)
                ? new Malformed(Optional.of(caller), TELEGRAM_USER + " and " + TELEGRAM_ROLE + " are for API tokens"
                        + " (the Telegram bot's), not for a browser session")
                : new Malformed(Optional.empty(), TELEGRAM_USER + " and " + TELEGRAM_ROLE + " act for a Telegram"
                        + " user on behalf of an API token: send the token as \"Authorization: Bearer …\"");
    }

    /** The Telegram user the token acts for, with the lower of the two roles. */
    private static Result delegate(Principal token, List<String> user, List<String> role) {
        if (user.size() != 1 || role.size() != 1) {
            return new Malformed(Optional.of(token), "send both " + TELEGRAM_USER + " and " + TELEGRAM_ROLE
                    + ", once each, or neither");
        }
        String id = user.getFirst().strip();
        if (!TELEGRAM_USER_ID.matcher(id).matches() || Long.parseLong(id) == 0) {
            return new Malformed(Optional.of(token), TELEGRAM_USER + " must be a Telegram user id: 1 to 15 digits,"
                    + " not 0");
        }
        Optional<Role> declared = Role.parse(role.getFirst().strip());
        if (declared.isEmpty()) {
            return new Malformed(Optional.of(token), TELEGRAM_ROLE + " must be viewer, operator or admin");
        }
        Role lower = declared.get().atLeast(token.role()) ? token.role() : declared.get();
        return new Authenticated(Principal.telegram(Long.parseLong(id), lower));
    }

    private Result credentials(ServerRequest request) {
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
