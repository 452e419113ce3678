package dev.vigil.server.api;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.Principal;
import dev.vigil.server.auth.Role;
import dev.vigil.server.store.AuditLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The server's routing table with the role every route needs. A service registers its routes only through
 * this class, so no route exists without a role; each handler runs behind a guard that authenticates the
 * caller (API token or browser session), refuses too low a role (401 anonymous, 403 too low), checks the CSRF
 * token of a browser's unsafe request, and writes every unsafe call — and every refusal — to the audit log with
 * who, from where and the result.
 */
public final class Access {
    /** One route and the least role that may call it. */
    public record Route(Method method, String path, Role role) {
    }

    /** A resource's routes, declared with their roles. */
    public interface Resource {
        void routing(Routes routes);
    }

    private final Authenticator authenticator;
    private final AuditLog audit;
    private final Clock clock;
    private final List<Route> table = new CopyOnWriteArrayList<>();

    public Access(Authenticator authenticator, AuditLog audit, Clock clock) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.clock = clock;
    }

    /** The routing table: every route of every resource registered so far, with its role. */
    public List<Route> table() {
        return List.copyOf(table);
    }

    /** The resource as a Helidon service whose routes are all guarded. */
    public HttpService service(Resource resource) {
        return rules -> resource.routing(new Routes(rules));
    }

    /** Registers routes with their roles. */
    public final class Routes {
        private final HttpRules rules;

        private Routes(HttpRules rules) {
            this.rules = rules;
        }

        public Routes get(String path, Role role, Handler handler) {
            rules.get(path, guard(Method.GET, path, role, handler));
            return this;
        }

        public Routes post(String path, Role role, Handler handler) {
            rules.post(path, guard(Method.POST, path, role, handler));
            return this;
        }

        public Routes put(String path, Role role, Handler handler) {
            rules.put(path, guard(Method.PUT, path, role, handler));
            return this;
        }

        public Routes delete(String path, Role role, Handler handler) {
            rules.delete(path, guard(Method.DELETE, path, role, handler));
            return this;
        }
    }

    private Handler guard(Method method, String path, Role role, Handler handler) {
        table.add(new Route(method, path, role));
        boolean unsafe = method != Method.GET;
        return (request, response) -> {
            Authenticator.Result result = authenticator.authenticate(request);
            Optional<Principal> principal = result instanceof Authenticator.Authenticated a
                    ? Optional.of(a.principal()) : Optional.empty();
            String refusal = refusal(request, role, result, principal, unsafe);
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
            try {
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

    /** Why this caller may not call this route, or null. */
    private static String refusal(ServerRequest request, Role role, Authenticator.Result result,
                                  Optional<Principal> principal, boolean unsafe) {
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

    /** The caller's name for the audit: the user, {@code token:<name>}, or {@code anonymous}. */
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
