package dev.vigil.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The README is the way into the docs: it links every page in docs/. */
class ReadmeLinksTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theReadmeLinksEveryDoc() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            List<String> unlinked = docs.map(doc -> "docs/" + doc.getFileName()).filter(doc -> doc.endsWith(".md"))
                    .filter(doc -> !readme.contains("](" + doc + ")")).sorted().toList();
            assertEquals(List.of(), unlinked, "docs the README does not link");
        }
    }
}
