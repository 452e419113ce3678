package dev.vigil.agent.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Method and exact path to handler; what matches no route goes to the fallback handler. */
public final class Routes {
    private final Map<String, Handler> handlers = new HashMap<>();
    private Handler fallback;

    public static Routes of(Handler fallback, Resource... resources) {
        Routes routes = new Routes();
        routes.fallback = fallback;
        for (Resource resource : resources) {
            resource.routes(routes);
        }
        return routes;
    }

    public Routes get(String path, Handler handler) {
        return add("GET", path, handler);
    }

    public Routes post(String path, Handler handler) {
        return add("POST", path, handler);
    }

    private Routes add(String method, String path, Handler handler) {
        if (handlers.putIfAbsent(method + " " + path, handler) != null) {
            throw new IllegalStateException("two handlers for " + method + " " + path);
        }
        return this;
    }

    Handler find(String method, String path) {
        return Optional.ofNullable(handlers.get(method + " " + path)).orElse(fallback);
    }
}
