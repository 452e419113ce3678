package dev.vigil.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /api/v1/actions}: authenticated with the action token and validated in full. Carrying actions
 * out arrives with the remediation work; until then a valid request is answered {@code refused}, 501.
 */
public final class ActionsService implements HttpService {
    private final TokenAuth auth;
    private final int maxBody;

    public ActionsService(TokenAuth auth, int maxBody) {
        this.auth = auth;
        this.maxBody = maxBody;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/v1/actions", this::submit);
    }

    private void submit(ServerRequest request, ServerResponse response) throws IOException {
        if (!auth.actionsEnabled()) {
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
        byte[] result = new JsonWriter(256).beginObject()
                .name("id").value(action.id().toString())
                .name("status").value("refused")
                .name("detail").value("this agent version reports metrics only; it does not carry out actions")
                .endObject().toBytes();
        response.status(Status.NOT_IMPLEMENTED_501).header(HeaderNames.CONTENT_TYPE, ApiErrors.JSON).send(result);
    }

    private void tooLarge(ServerResponse response) {
        ApiErrors.send(response, Status.REQUEST_ENTITY_TOO_LARGE_413,
                "the body is larger than " + maxBody / 1024 + " KiB");
    }
}
