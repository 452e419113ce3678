package dev.vigil.server.act;

import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import dev.vigil.server.agents.AgentTls;
import dev.vigil.server.agents.LimitedBody;
import dev.vigil.server.store.Action;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

import static dev.vigil.server.store.Jsons.JSON;

/**
 * Sends one action to its host's agent ({@code POST /api/v1/actions}, the action token) and reads what came back:
 * the agent's outcome, or a reason to try again later under the same id (no answer, a timeout, a 5xx).
 */
final class AgentActions implements AutoCloseable {
    /** The agent's answer is a few hundred bytes; anything beyond this is not an agent. */
    private static final int MAX_ANSWER = 64 * 1024;
    private static final Set<String> OUTCOMES = Set.of(Action.SUCCEEDED, Action.FAILED, Action.REFUSED,
            Action.DRY_RUN);

    /**
     * @param settled true: {@code status} and {@code detail} are the outcome; false: try again, {@code detail}
     *                says why
     */
    record Answer(boolean settled, String status, String detail) {
        static Answer outcome(String status, String detail) {
            return new Answer(true, status, detail);
        }

        static Answer retry(String why) {
            return new Answer(false, "", why);
        }
    }

    private final HttpClient http;
    private final Duration answerTimeout;
    private final long deadlineMillis;

    AgentActions(Duration connectTimeout, Duration answerTimeout, SSLContext tls) {
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.answerTimeout = answerTimeout;
        this.deadlineMillis = connectTimeout.plus(answerTimeout).toMillis();
    }

    Answer send(URI agent, String actionToken, Action action) throws InterruptedException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(agent.toString().replaceAll("/+$", "") + "/api/v1/actions"))
                    .timeout(answerTimeout)
                    .header("Authorization", "Bearer " + actionToken)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(action).toString()))
                    .build();
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the refused value, which may be the token: it goes no further
            return Answer.outcome(Action.FAILED, "not sent: the request could not be built from the host's URL and"
                    + " action token (" + e.getClass().getSimpleName() + ")");
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> new LimitedBody(MAX_ANSWER));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return Answer.retry("no answer within " + answerTimeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        }
        return answer(response.statusCode(), response.body());
    }

    private static JsonObject body(Action action) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", action.id().toString())
                .add("type", action.type())
                .add("target", action.target())
                .add("reason", action.reason());
        action.pid().ifPresent(pid -> json.add("pid", pid));
        action.createTime().ifPresent(createTime -> json.add("create_time", createTime));
        return json.build();
    }

    static Answer answer(int status, byte[] body) {
        JsonObject json = json(body);
        String said = text(json, "detail").or(() -> text(json, "error")).orElse("");
        return switch (status) {
            case 200, 403 -> {
                String outcome = text(json, "status").orElse("");
                if (OUTCOMES.contains(outcome)) {
                    yield Answer.outcome(outcome, said.isEmpty() ? "the agent gave no detail" : said);
                }
                yield status == 200
                        ? Answer.outcome(Action.FAILED, "the agent's answer is not an action result; whether it ran"
                                + " is unknown")
                        : Answer.outcome(Action.FAILED, "the agent refused the action token: " + orStatus(said, 403));
            }
            case 401 -> Answer.outcome(Action.FAILED, "the agent does not accept the action token stored for this"
                    + " host (401)");
            case 400, 413 -> Answer.outcome(Action.FAILED, "the agent refused the request: " + orStatus(said, status));
            case 404, 501 -> Answer.outcome(Action.FAILED, "the agent does not carry out actions (" + status
                    + "): upgrade it");
            case 408, 429, 500, 502, 503, 504 -> Answer.retry("the agent answered " + status);
            default -> Answer.outcome(Action.FAILED, "unexpected answer from the agent: " + orStatus(said, status));
        };
    }

    private static Answer failure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case LimitedBody.TooLarge ignored -> {
                    return Answer.outcome(Action.FAILED, "the agent's answer is larger than " + MAX_ANSWER / 1024
                            + " KiB; whether it ran is unknown");
                }
                case HttpTimeoutException ignored -> {
                    return Answer.retry("no answer in time");
                }
                case ConnectException ignored -> {
                    return Answer.retry("connection refused");
                }
                default -> {
                }
            }
        }
        return Answer.retry(AgentTls.failure(failure).orElse(String.valueOf(failure.getMessage())));
    }

    private static JsonObject json(byte[] body) {
        if (body == null || body.length == 0) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
    }

    private static Optional<String> text(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    private static String orStatus(String said, int status) {
        return said.isEmpty() ? "HTTP " + status : said;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
