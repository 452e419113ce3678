package dev.vigil.agent.api;

import java.io.IOException;
import java.util.Optional;

import dev.vigil.agent.act.ActionRequest;
import dev.vigil.agent.act.ActionResult;
import dev.vigil.agent.act.ActionStatus;
import dev.vigil.agent.act.Actions;
import dev.vigil.agent.http.Exchange;
import dev.vigil.agent.http.Resource;
import dev.vigil.agent.http.Routes;
import dev.vigil.agent.http.Status;

/**
 * {@code POST /api/v1/actions}: authenticated with the action token, validated in full, then carried out by
 * {@link Actions}. The answer is 200 with the result, or 403 when the agent's policy refused the action.
 */
public final class ActionsService implements Resource {
    private final TokenAuth auth;
    private final int maxBody;
    private final Optional<Actions> actions;

    /** {@code actions} is present exactly when the action token is set. */
    public ActionsService(TokenAuth auth, int maxBody, Optional<Actions> actions) {
        this.auth = auth;
        this.maxBody = maxBody;
        this.actions = actions;
    }

    @Override
    public void routes(Routes routes) {
        routes.post("/api/v1/actions", this::submit);
    }

    private void submit(Exchange exchange) throws IOException {
        if (!auth.actionsEnabled() || actions.isEmpty()) {
            ApiErrors.send(exchange, Status.FORBIDDEN_403,
                    "actions are disabled on this agent: VIGIL_AGENT_ACTION_TOKEN is not set");
            return;
        }
        switch (auth.grant(exchange)) {
            case NONE -> ApiErrors.unauthorized(exchange);
            case READ -> ApiErrors.send(exchange, Status.FORBIDDEN_403,
                    "the read token cannot submit actions: use the action token");
            case ACTION -> accept(exchange);
        }
    }

    private void accept(Exchange exchange) throws IOException {
        Optional<byte[]> body = exchange.contentLength().orElse(0L) > maxBody
                ? Optional.empty()
                : exchange.body(maxBody);
        if (body.isEmpty()) {
            tooLarge(exchange);
            return;
        }
        ActionRequest action;
        try {
            action = ActionRequest.parse(body.get());
        } catch (ActionRequest.Invalid e) {
            ApiErrors.send(exchange, Status.BAD_REQUEST_400, e.getMessage());
            return;
        }
        ActionResult result = actions.get().carryOut(action);
        JsonWriter json = new JsonWriter(256).beginObject()
                .name("id").value(result.id().toString())
                .name("status").value(result.status().json())
                .name("detail").value(result.detail());
        if (result.replayed()) {
            json.name("replayed").value(true);
        }
        exchange.send(result.status() == ActionStatus.REFUSED ? Status.FORBIDDEN_403 : Status.OK_200, ApiErrors.JSON,
                json.endObject().toBytes());
    }

    private void tooLarge(Exchange exchange) throws IOException {
        ApiErrors.send(exchange, Status.REQUEST_ENTITY_TOO_LARGE_413,
                "the body is larger than " + maxBody / 1024 + " KiB");
    }
}
