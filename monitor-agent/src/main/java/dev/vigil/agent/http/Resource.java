package dev.vigil.agent.http;

/** One resource of the API: registers its routes, each to a small handler of its own. */
public interface Resource {
    void routes(Routes routes);
}
