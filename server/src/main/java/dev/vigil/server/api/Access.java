package dev.vigil.server.api;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.Principal;
import dev.vigil.server.model.Role;
import dev.vigil.server.store.AuditLog;
import io.helidon.common.uri.UriPath;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The server's routing table with the role every route needs and the input it takes. A service registers its
 * routes only through this class, so no route exists without a role; each handler runs behind a guard that
 * authenticates the caller (API token or browser session), refuses too low a role (401 anonymous, 403 too low),
 * checks the CSRF token of a browser's unsafe request, refuses query parameters the route does not take, and
 * writes every unsafe call — and every refusal — to the audit log with who, from where and the result. An API
 * token acting for a Telegram user ({@link Authenticator}) is that user here — role, audit, {@link #who} —, and
 * malformed delegation headers are a 400 before anything else.
 */
public final class Access {
    /**
     * One route, the least role that may call it, and the input it takes; {@code apiTokensOnly}: a browser session
     * may not call it, whatever its user's role (the routes of the Telegram bot, which hand out its token).
     */
    public record Route(Method method, String path, Role role, Input input, boolean apiTokensOnly) {
    }

    /**
     * The query parameters and the top-level body fields a route takes; anything else in a request is refused
     * (400 naming it), so the table is the whole truth about what each route reads.
     */
    public record Input(List<String> query, List<String> body) {
        public static final Input NONE = new Input(List.of(), List.of());

        public Input {
            query = List.copyOf(query);
            body = List.copyOf(body);
        }

        public static Input query(String... names) {
            return new Input(List.of(names), List.of());
        }

        public static Input body(String... fields) {
            return new Input(List.of(), List.of(fields));
        }
    }

    /** A resource's routes, declared with their roles. */
    public interface Resource {
        void routing(Routes routes);
    }

    private final Authenticator authenticator;
    private final AuditLog audit;
    private final Clock clock;
    private final List<Route> table = new CopyOnWriteArrayList<>();
    private final Map<String, PathMatcher> templates = new ConcurrentHashMap<>();

    public Access(Authenticator authenticator, AuditLog audit, Clock clock) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.clock = clock;
    }

    /** The routing table: every route of every resource registered so far, with its role. */
    public List<Route> table() {
        return List.copyOf(table);
    }

    /** The methods of the routes whose template matches this path, with OPTIONS; empty when none does. */
    public SortedSet<String> allowed(UriPath path) {
        SortedSet<String> methods = new TreeSet<>();
        for (Route route : table) {
            if (templates.get(route.path()).match(path).accepted()) {
                methods.add(route.method().text());
            }
        }
        if (!methods.isEmpty()) {
            methods.add(Method.OPTIONS.text());
        }
        return methods;
    }

    /** The route the request is being handled by (registered by its guard). */
    static Route route(ServerRequest request) {
        return request.context().get(Route.class).orElseThrow(() -> new IllegalStateException(
                request.path().path() + " is handled outside the routing table"));
    }

    /** The resource as a Helidon service whose routes are all guarded. */
    public HttpService service(Resource resource) {
        return rules -> resource.routing(new Routes(rules, false));
    }

    /** Registers routes with their roles and their input; a route registered without input takes none. */
    public final class Routes {
        private final HttpRules rules;
        private final boolean apiTokensOnly;

        private Routes(HttpRules rules, boolean apiTokensOnly) {
            this.rules = rules;
            this.apiTokensOnly = apiTokensOnly;
        }

        /** The same registration for routes that only API tokens may call, never a browser session. */
        public Routes apiTokensOnly() {
            return new Routes(rules, true);
        }

        public Routes get(String path, Role role, Handler handler) {
            return get(path, role, Input.NONE, handler);
        }

        /** A GET route with the query parameters it takes ({@link Input#query}). */
        public Routes get(String path, Role role, Input input, Handler handler) {
            return add(new Route(Method.GET, path, role, input, apiTokensOnly), handler);
        }

        public Routes post(String path, Role role, Handler handler) {
            return post(path, role, Input.NONE, handler);
        }

        /** A POST route with the body fields it takes ({@link Input#body}). */
        public Routes post(String path, Role role, Input input, Handler handler) {
            return add(new Route(Method.POST, path, role, input, apiTokensOnly), handler);
        }

        public Routes put(String path, Role role, Input input, Handler handler) {
            return add(new Route(Method.PUT, path, role, input, apiTokensOnly), handler);
        }

        public Routes delete(String path, Role role, Handler handler) {
            return add(new Route(Method.DELETE, path, role, Input.NONE, apiTokensOnly), handler);
        }

        private Routes add(Route route, Handler handler) {
            rules.route(route.method(), route.path(), guard(route, handler));
            return this;
        }
    }

    private Handler guard(Route route, Handler handler) {
        table.add(route);
        templates.computeIfAbsent(route.path(), PathMatchers::create);
        boolean unsafe = route.method() != Method.GET;
        return (request, response) -> {
            Authenticator.Result result = authenticator.authenticate(request);
            if (result instanceof Authenticator.Malformed malformed) {
                record(request, malformed.caller(), "refused", "400 " + malformed.why());
                ApiErrors.send(response, Status.BAD_REQUEST_400, malformed.why());
                return;
            }
            Optional<Principal> principal = result instanceof Authenticator.Authenticated a
                    ? Optional.of(a.principal()) : Optional.empty();
            String refusal = refusal(request, route, result, principal, unsafe);
            if (refusal != null) {
                Status status = principal.isEmpty() ? Status.UNAUTHORIZED_401 : Status.FORBIDDEN_403;
                record(request, principal, "denied", status.code() + " " + refusal);
                if (status == Status.UNAUTHORIZED_401) {
                    response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                }
                ApiErrors.send(response, status, refusal);
                return;
            }
            principal.ifPresent(p -> request.context().register(p));
            request.context().register(route);
            try {
                refuseUndeclaredQuery(request, route);
                handler.handle(request, response);
            } catch (RuntimeException e) {
                if (unsafe) {
                    record(request, principal, "refused", e instanceof ApiErrors.Refusal r
                            ? r.status().code() + " " + r.getMessage() : "500");
                }
                throw e;
            }
            if (unsafe) {
                int status = response.status().code();
                record(request, principal, status >= 400 ? "refused" : "ok", Integer.toString(status));
            }
        };
    }

    private static void refuseUndeclaredQuery(ServerRequest request, Route route) {
        for (String name : request.query().names()) {
            if (!route.input().query().contains(name)) {
                throw ApiErrors.badRequest("unknown query parameter \"" + ApiErrors.shown(name) + "\"; "
                        + route.method().text() + " " + route.path() + " takes " + (route.input().query().isEmpty()
                        ? "none" : String.join(", ", route.input().query())));
            }
        }
    }

    /** Why this caller may not call this route, or null. */
    private static String refusal(ServerRequest request, Route route, Authenticator.Result result,
                                  Optional<Principal> principal, boolean unsafe) {
        Role role = route.role();
        if (role == Role.PUBLIC) {
            return null;
        }
        if (result instanceof Authenticator.Rejected rejected) {
            return rejected.why();
        }
        if (principal.isEmpty()) {
            return "log in, or send an API token as \"Authorization: Bearer …\"";
        }
        if (!principal.get().role().atLeast(role)) {
            return "this needs the " + role.json() + " role; " + principal.get().name() + " is "
                    + principal.get().role().json();
        }
        if (route.apiTokensOnly() && principal.get().browser()) {
            return route.method().text() + " " + route.path() + " is for API tokens only (the Telegram bot's"
                    + " token): a browser session may not call it";
        }
        if (unsafe && principal.get().browser() && !Authenticator.csrfHolds(request, principal.get())) {
            return "a browser session must send the " + Authenticator.XSRF_COOKIE + " cookie's value as the "
                    + Authenticator.XSRF_HEADER + " header";
        }
        return null;
    }

    private void record(ServerRequest request, Optional<Principal> principal, String result, String detail) {
        audit.record(clock.instant(), principal.map(Principal::name).orElse("anonymous"), "api_call",
                request.prologue().method().text() + " " + request.path().path(), detail, address(request), result);
    }

    /**
     * The caller's name for the audit: the user, {@code token:<name>}, {@code telegram:<user id>} (a Telegram user
     * an API token acts for), or {@code anonymous}.
     */
    public static String who(ServerRequest request) {
        return request.context().get(Principal.class).map(Principal::name).orElse("anonymous");
    }

    public static Optional<Principal> principal(ServerRequest request) {
        return request.context().get(Principal.class);
    }

    public static String address(ServerRequest request) {
        SocketAddress peer = request.remotePeer().address();
        return peer instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(peer);
    }
}
