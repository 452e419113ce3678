package dev.vigil.server.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.vigil.server.TestDatabase;
import dev.vigil.server.VigilServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/api.md has a heading {@code ### METHOD /path} for every route of the running server's routing table, so
 * a route cannot be added without its reference.
 */
class ApiDocsTest {
    @Test
    void everyRouteHasItsHeadingInTheApiReference() throws Exception {
        Set<String> headings = Files.readAllLines(Path.of("../docs/api.md")).stream()
                .filter(line -> line.startsWith("### "))
                .map(line -> line.substring(4).strip())
                .collect(Collectors.toSet());
        List<String> routes;
        try (VigilServer server = VigilServer.start(TestDatabase.serverConfig())) {
            routes = server.routes().stream().map(route -> route.method().text() + " " + route.path()).toList();
        }
        assertEquals(List.of(), routes.stream().filter(route -> !headings.contains(route)).toList(),
                "routes without a \"### METHOD /path\" heading in docs/api.md");
    }
}
