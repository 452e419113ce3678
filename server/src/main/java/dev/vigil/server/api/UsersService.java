package dev.vigil.server.api;

import java.time.Clock;
import java.util.Optional;

import dev.vigil.server.auth.Accounts;
import dev.vigil.server.model.Role;
import dev.vigil.server.auth.Sessions;
import dev.vigil.server.store.AuditLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/users} (admin): list, create {@code {username, password, role}}, change a role or set a
 * password ({@code PUT {role?, password?}}: the user's sessions end), delete. The last admin cannot be demoted or
 * deleted, so the fleet is never left without one.
 */
public final class UsersService implements Access.Resource {
    private final Accounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public UsersService(Accounts accounts, Sessions sessions, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/users", Role.ADMIN, this::list)
                .post("/api/v1/users", Role.ADMIN, Access.Input.body("username", "password", "role"), this::create)
                .put("/api/v1/users/{id}", Role.ADMIN, Access.Input.body("role", "password"), this::update)
                .delete("/api/v1/users/{id}", Role.ADMIN, this::delete);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        accounts.list().forEach(user -> array.add(json(user)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    private void create(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        Role role = role(JsonBodies.string(body, "role"));
        Accounts.User user;
        try {
            user = accounts.create(JsonBodies.string(body, "username"), JsonBodies.string(body, "password"), role);
        } catch (Accounts.Refused e) {
            throw ApiErrors.badRequest(e.getMessage());
        } catch (Accounts.Taken e) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, e.getMessage());
        }
        audit.record(clock.instant(), Access.who(request), "user_created", "user " + user.username(),
                "role " + role.json());
        response.header(HeaderNames.LOCATION, "/api/v1/users/" + user.id());
        JsonBodies.send(response, Status.CREATED_201, json(user));
    }

    private void update(ServerRequest request, ServerResponse response) {
        Accounts.User user = find(request);
        JsonObject body = JsonBodies.object(request);
        // everything is read and checked before anything changes: a refused password leaves the role as it was
        Optional<Role> role = JsonBodies.text(body, "role", JsonBodies.MAX_TEXT).map(UsersService::role);
        Optional<String> password = body.containsKey("password") ? Optional.of(JsonBodies.string(body, "password"))
                : Optional.empty();
        if (role.isPresent() && user.role() == Role.ADMIN && role.get() != Role.ADMIN) {
            requireAnotherAdmin(user);
        }
        if (password.isPresent()) {
            try {
                accounts.changePassword(user.id(), password.get());
            } catch (Accounts.Refused e) {
                throw ApiErrors.badRequest(e.getMessage());
            }
            sessions.revokeAll(user.id(), Optional.empty());
            audit.record(clock.instant(), Access.who(request), "user_password_set", "user " + user.username(),
                    "by an admin; the user's sessions ended");
        }
        if (role.isPresent()) {
            Role next = role.get();
            accounts.changeRole(user.id(), next);
            sessions.revokeAll(user.id(), Optional.empty());
            audit.record(clock.instant(), Access.who(request), "user_role_changed", "user " + user.username(),
                    user.role().json() + " → " + next.json());
        }
        JsonBodies.send(response, Status.OK_200, json(accounts.find(user.id()).orElseThrow()));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        Accounts.User user = find(request);
        if (user.role() == Role.ADMIN) {
            requireAnotherAdmin(user);
        }
        sessions.revokeAll(user.id(), Optional.empty());
        accounts.delete(user.id());
        audit.record(clock.instant(), Access.who(request), "user_deleted", "user " + user.username(), "");
        response.status(Status.NO_CONTENT_204).send();
    }

    private void requireAnotherAdmin(Accounts.User user) {
        if (accounts.list().stream().noneMatch(u -> u.role() == Role.ADMIN && u.id() != user.id())) {
            throw new ApiErrors.Refusal(Status.CONFLICT_409, user.username() + " is the last admin");
        }
    }

    private Accounts.User find(ServerRequest request) {
        long id = HostsService.id(request, "user");
        return accounts.find(id).orElseThrow(() -> ApiErrors.notFound("no user " + id));
    }

    static Role role(String value) {
        return Role.parse(value).orElseThrow(() -> ApiErrors.badRequest(
                "\"role\" must be viewer, operator or admin, not " + ApiErrors.shown(value)));
    }

    private static JsonObject json(Accounts.User user) {
        return JSON.createObjectBuilder().add("id", user.id()).add("username", user.username())
                .add("role", user.role().json()).add("created_at", user.createdAt().toString())
                .add("password_changed_at", user.passwordChangedAt().toString()).build();
    }
}
