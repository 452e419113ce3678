package dev.vigil.server.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import dev.vigil.server.auth.Accounts;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.LoginThrottle;
import dev.vigil.server.auth.Principal;
import dev.vigil.server.model.Role;
import dev.vigil.server.auth.Sessions;
import dev.vigil.server.store.AuditLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/auth}: first-run setup, login and logout with a browser session (HttpOnly, SameSite=Strict
 * cookie, plus the XSRF-TOKEN cookie to send back as a header), who am I, password change, and the sessions of
 * a user. Failed logins are slowed ({@link LoginThrottle}) and audited.
 */
public final class AuthService implements Access.Resource {
    private static final Logger LOG = Logger.getLogger(AuthService.class.getName());

    private final Accounts accounts;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Clock clock;

    public AuthService(Accounts accounts, Sessions sessions, LoginThrottle throttle, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/auth/setup", Role.PUBLIC, this::setupNeeded)
                .post("/api/v1/auth/setup", Role.PUBLIC, Access.Input.body("username", "password"), this::setup)
                .post("/api/v1/auth/login", Role.PUBLIC, Access.Input.body("username", "password"), this::login)
                .post("/api/v1/auth/logout", Role.VIEWER, this::logout)
                .get("/api/v1/auth/me", Role.VIEWER, this::me)
                .post("/api/v1/auth/password", Role.VIEWER, Access.Input.body("current_password", "new_password"),
                        this::changePassword)
                .get("/api/v1/auth/sessions", Role.VIEWER, Access.Input.query("all"), this::listSessions)
                .delete("/api/v1/auth/sessions/{id}", Role.VIEWER, this::revokeSession);
    }

    /** Whether the first-run setup is open (no user exists): the UI shows setup instead of login. */
    private void setupNeeded(ServerRequest request, ServerResponse response) {
        JsonBodies.send(response, Status.OK_200, JSON.createObjectBuilder().add("needed", accounts.none()).build());
    }

    /** Creates the first admin, only while no user exists, and logs them in. */
    private void setup(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        String username = JsonBodies.string(body, "username");
        String password = JsonBodies.string(body, "password");
        Accounts.User admin;
        synchronized (this) {
            if (!accounts.none()) {
                throw new ApiErrors.Refusal(Status.CONFLICT_409, "setup is done: a user exists; log in");
            }
            admin = create(username, password, Role.ADMIN);
        }
        audit.record(clock.instant(), username, "setup", "user " + username, "the first admin",
                Access.address(request), "ok");
        LOG.info("First-run setup: admin " + username + " created");
        startSession(request, response, admin, Status.CREATED_201);
    }

    private void login(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        String username = JsonBodies.string(body, "username");
        String password = JsonBodies.string(body, "password");
        String address = Access.address(request);
        Optional<Duration> wait = throttle.wait(username, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            audit.record(clock.instant(), username, "login_throttled", "user " + username,
                    "refused unchecked: too many failed logins, " + seconds + " s to wait", address, "denied");
            response.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
            ApiErrors.send(response, Status.TOO_MANY_REQUESTS_429, "too many failed logins: try again in " + seconds
                    + " s");
            return;
        }
        Optional<Accounts.User> user = accounts.verify(username, password);
        if (user.isEmpty()) {
            throttle.failed(username, address);
            audit.record(clock.instant(), username, "login_failed", "user " + username, "wrong username or password",
                    address, "failed");
            throw new ApiErrors.Refusal(Status.UNAUTHORIZED_401, "wrong username or password");
        }
        throttle.succeeded(username, address);
        audit.record(clock.instant(), username, "login", "user " + username, "", address, "ok");
        startSession(request, response, user.get(), Status.OK_200);
    }

    private Accounts.User create(String username, String password, Role role) {
        try {
            return accounts.create(username, password, role);
        } catch (Accounts.Refused e) {
            throw ApiErrors.badRequest(e.getMessage());
        } catch (Accounts.Taken e) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, e.getMessage());
        }
    }

    private void startSession(ServerRequest request, ServerResponse response, Accounts.User user, Status status) {
        long ended = sessions.deleteExpired();
        if (ended > 0) {
            LOG.fine(() -> ended + " expired sessions removed");
        }
        Sessions.Opened opened = sessions.open(user, Access.address(request));
        response.headers().addCookie(cookie(request, Authenticator.SESSION_COOKIE, opened.secret(), true));
        // the page's script reads this one and sends it back as the X-XSRF-TOKEN header
        response.headers().addCookie(cookie(request, Authenticator.XSRF_COOKIE, opened.session().csrfToken(), false));
        JsonBodies.send(response, status, JSON.createObjectBuilder().add("username", user.username())
                .add("role", user.role().json()).add("session_id", opened.session().id())
                .add("expires_at", opened.session().expiresAt().toString()).build());
    }

    /** SameSite=Strict, for the session's lifetime, and Secure behind TLS (the server's, or a proxy's that says so). */
    private SetCookie cookie(ServerRequest request, String name, String value, boolean httpOnly) {
        boolean secure = request.isSecure() || request.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(proto -> proto.equalsIgnoreCase("https")).orElse(false);
        return SetCookie.builder(name, value).httpOnly(httpOnly).sameSite(SetCookie.SameSite.STRICT).path("/")
                .secure(secure).maxAge(sessions.lifetime()).build();
    }

    private void logout(ServerRequest request, ServerResponse response) {
        Principal principal = Access.principal(request).orElseThrow();
        principal.sessionId().ifPresent(id -> sessions.revoke(id, Optional.empty()));
        response.headers().clearCookie(Authenticator.SESSION_COOKIE);
        response.headers().clearCookie(Authenticator.XSRF_COOKIE);
        response.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest request, ServerResponse response) {
        Principal principal = Access.principal(request).orElseThrow();
        var json = JSON.createObjectBuilder().add("name", principal.name()).add("role", principal.role().json())
                .add("via", principal.browser() ? "session" : "token");
        principal.sessionId().ifPresent(id -> json.add("session_id", id));
        JsonBodies.send(response, Status.OK_200, json.build());
    }

    /** A user changes their own password (a browser session); every other session of theirs ends. */
    private void changePassword(ServerRequest request, ServerResponse response) {
        Principal principal = Access.principal(request).orElseThrow();
        long userId = principal.userId().orElseThrow(() -> ApiErrors.badRequest(
                "an API token has no password: log in as the user to change it"));
        JsonObject body = JsonBodies.object(request);
        if (accounts.verify(principal.name(), JsonBodies.string(body, "current_password")).isEmpty()) {
            audit.record(clock.instant(), principal.name(), "password_change_failed", "user " + principal.name(),
                    "the current password was wrong", Access.address(request), "failed");
            throw new ApiErrors.Refusal(Status.FORBIDDEN_403, "the current password is wrong");
        }
        try {
            accounts.changePassword(userId, JsonBodies.string(body, "new_password"));
        } catch (Accounts.Refused e) {
            throw ApiErrors.badRequest("\"new_password\": " + e.getMessage());
        }
        sessions.revokeAll(userId, principal.sessionId());
        audit.record(clock.instant(), principal.name(), "password_changed", "user " + principal.name(),
                "other sessions ended", Access.address(request), "ok");
        response.status(Status.NO_CONTENT_204).send();
    }

    /** Your own sessions (none for an API token); an admin sees everyone's with {@code ?all=true}. */
    private void listSessions(ServerRequest request, ServerResponse response) {
        Principal principal = Access.principal(request).orElseThrow();
        boolean all = Queries.flag(request, "all");
        if (all && !principal.role().atLeast(Role.ADMIN)) {
            throw new ApiErrors.Refusal(Status.FORBIDDEN_403, "everyone's sessions need the admin role");
        }
        if (!all && principal.userId().isEmpty()) {
            JsonBodies.send(response, Status.OK_200, JsonValue.EMPTY_JSON_ARRAY);
            return;
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        sessions.list(all ? Optional.empty() : principal.userId()).forEach(s -> array.add(JSON.createObjectBuilder()
                .add("id", s.id()).add("username", s.username()).add("address", s.address())
                .add("created_at", s.createdAt().toString()).add("last_seen", s.lastSeen().toString())
                .add("expires_at", s.expiresAt().toString())
                .add("current", principal.sessionId().map(id -> id == s.id()).orElse(false))));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    private void revokeSession(ServerRequest request, ServerResponse response) {
        Principal principal = Access.principal(request).orElseThrow();
        long id = HostsService.id(request, "session");
        Optional<Long> ownOnly = principal.role().atLeast(Role.ADMIN) ? Optional.empty() : principal.userId();
        if (ownOnly.isEmpty() && !principal.role().atLeast(Role.ADMIN)) {
            throw ApiErrors.notFound("no session " + id + " of yours: an API token has no sessions");
        }
        if (!sessions.revoke(id, ownOnly)) {
            throw ApiErrors.notFound("no session " + id + " of yours");
        }
        response.status(Status.NO_CONTENT_204).send();
    }
}
