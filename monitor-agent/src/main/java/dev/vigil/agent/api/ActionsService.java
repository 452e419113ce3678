package dev.vigil.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

import dev.vigil.agent.act.ActionRequest;
import dev.vigil.agent.act.ActionResult;
import dev.vigil.agent.act.ActionStatus;
import dev.vigil.agent.act.Actions;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /api/v1/actions}: authenticated with the action token, validated in full, then carried out by
 * {@link Actions}. The answer is 200 with the result, or 403 when the agent's policy refused the action.
 */
public final class ActionsService implements HttpService {
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
    public void routing(HttpRules rules) {
        rules.post("/api/v1/actions", this::submit);
    }

    private void submit(ServerRequest request, ServerResponse response) throws IOException {
        if (!auth.actionsEnabled() || actions.isEmpty()) {
            ApiErrors.send(response, Status.FORBIDDEN_403,
                    "actions are disabled on this agent: VIGIL_AGENT_ACTION_TOKEN is not set");
            return;
        }
        switch (auth.grant(request)) {
            case NONE -> ApiErrors.unauthorized(response);
            case READ -> ApiErrors.send(response, Status.FORBIDDEN_403,
                    "the read token cannot submit actions: use the action token");
            case ACTION -> accept(request, response);
        }
    }

    private void accept(ServerRequest request, ServerResponse response) throws IOException {
        OptionalLong declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBody) {
            tooLarge(response);
            return;
        }
        byte[] body;
        try (InputStream in = request.content().inputStream()) {
            body = in.readNBytes(maxBody + 1);
        }
        if (body.length > maxBody) {
            tooLarge(response);
            return;
        }
        ActionRequest action;
        try {
            action = ActionRequest.parse(body);
        } catch (ActionRequest.Invalid e) {
            ApiErrors.send(response, Status.BAD_REQUEST_400, e.getMessage());
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
        response.status(result.status() == ActionStatus.REFUSED ? Status.FORBIDDEN_403 : Status.OK_200)
                .header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON)
                .send(json.endObject().toBytes());
    }

    private void tooLarge(ServerResponse response) {
        ApiErrors.send(response, Status.REQUEST_ENTITY_TOO_LARGE_413,
                "the body is larger than " + maxBody / 1024 + " KiB");
    }
}
