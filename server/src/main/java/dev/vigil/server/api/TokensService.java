package dev.vigil.server.api;

import java.time.Clock;

import dev.vigil.server.auth.ApiTokens;
import dev.vigil.server.model.Role;
import dev.vigil.server.store.AuditLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * {@code /api/v1/tokens} (admin): API tokens for the Telegram bot and automation. {@code POST {name, role}}
 * answers the token's value once, as {@code token}; only its SHA-256 is kept. {@code DELETE /{id}} revokes it.
 */
public final class TokensService implements Access.Resource {
    private final ApiTokens tokens;
    private final AuditLog audit;
    private final Clock clock;

    public TokensService(ApiTokens tokens, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(Access.Routes routes) {
        routes.get("/api/v1/tokens", Role.ADMIN, this::list)
                .post("/api/v1/tokens", Role.ADMIN, Access.Input.body("name", "role"), this::issue)
                .delete("/api/v1/tokens/{id}", Role.ADMIN, this::revoke);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        tokens.list().forEach(token -> array.add(json(token)));
        JsonBodies.send(response, Status.OK_200, array.build());
    }

    private void issue(ServerRequest request, ServerResponse response) {
        JsonObject body = JsonBodies.object(request);
        String name = JsonBodies.string(body, "name").strip();
        if (name.isEmpty() || name.length() > 100) {
            throw ApiErrors.badRequest("\"name\" must be 1–100 characters");
        }
        Role role = UsersService.role(JsonBodies.string(body, "role"));
        ApiTokens.Issued issued = tokens.issue(name, role, Access.who(request));
        audit.record(clock.instant(), Access.who(request), "token_issued", "token " + issued.token().id(),
                name + ", role " + role.json());
        response.header(HeaderNames.LOCATION, "/api/v1/tokens/" + issued.token().id());
        JsonBodies.send(response, Status.CREATED_201,
                JSON.createObjectBuilder(json(issued.token())).add("token", issued.value()).build());
    }

    private void revoke(ServerRequest request, ServerResponse response) {
        long id = HostsService.id(request, "token");
        if (!tokens.revoke(id)) {
            throw ApiErrors.notFound("no live token " + id);
        }
        audit.record(clock.instant(), Access.who(request), "token_revoked", "token " + id, "");
        response.status(Status.NO_CONTENT_204).send();
    }

    private static JsonObject json(ApiTokens.Token token) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("id", token.id()).add("name", token.name())
                .add("role", token.role().json()).add("created_by", token.createdBy())
                .add("created_at", token.createdAt().toString());
        IncidentsService.optional(json, "last_used_at", token.lastUsedAt().map(Object::toString));
        IncidentsService.optional(json, "revoked_at", token.revokedAt().map(Object::toString));
        return json.build();
    }
}
