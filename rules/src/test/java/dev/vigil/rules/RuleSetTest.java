package dev.vigil.rules;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleSetTest {
    private static final String GOOD = """
            package vigil.rules
            import dev.vigil.rules.model.*
            rule "Anything above 50"
            when
                Sample( cpuPercent > 50 )
            then
            end
            """;

    @Test
    void aSyntaxErrorIsReportedWithItsFileLineAndColumn() {
        String broken = """
                package vigil.rules
                import dev.vigil.rules.model.*
                rule "Broken"
                when
                    Sample( cpuPercent > )
                then
                end
                """;
        RuleSet.Failed failed = assertInstanceOf(RuleSet.Failed.class,
                RuleSet.compile(Map.of("good.drl", GOOD, "broken.drl", broken)));
        Problem first = failed.problems().getFirst();
        assertEquals("broken.drl", first.file());
        assertEquals(5, first.line(), failed.problems().toString());
        assertTrue(first.column() > 0, first.toString());
        assertFalse(first.message().isBlank());
    }

    @Test
    void anUnknownFieldIsAnErrorToo() {
        String typo = GOOD.replace("cpuPercent", "cpuPercnt");
        RuleSet.Failed failed = assertInstanceOf(RuleSet.Failed.class, RuleSet.compile(Map.of("typo.drl", typo)));
        assertEquals("typo.drl", failed.problems().getFirst().file());
        assertTrue(failed.problems().toString().contains("cpuPercnt"), failed.problems().toString());
    }

    @Test
    void aTimeWindowIsAProblemAtItsLineNotAFailureToStart() {
        String windowed = """
                package vigil.rules
                import dev.vigil.rules.model.*
                rule "Busy in 4 samples of 5 minutes"
                when
                    Number( intValue > 3 ) from accumulate( Sample( cpuPercent > 90 ) over window:time(5m), count(1) )
                then
                end
                """;
        RuleSet.Failed failed = assertInstanceOf(RuleSet.Failed.class,
                RuleSet.compile(Map.of("good.drl", GOOD, "windowed.drl", windowed)));
        assertEquals(1, failed.problems().size(), failed.problems().toString());
        Problem problem = failed.problems().getFirst();
        assertEquals("windowed.drl", problem.file());
        assertEquals(5, problem.line());
        assertTrue(problem.message().startsWith("'window:time' needs Drools' stream mode"), problem.message());
    }

    @Test
    void theDefaultRulesCompileAndNameTheirRules() {
        RuleSet rules = Scenario.defaultRules();
        assertEquals(RuleFiles.DEFAULTS, rules.files().keySet().stream().toList());
        assertTrue(rules.ruleNames().contains("CPU above 90% for 5 minutes is a warning"), rules.ruleNames().toString());
    }

    @Test
    void aMissingFolderIsSeededWithTheBundledDefaultsAndAnExistingOneIsLeftAlone(@TempDir Path temp)
            throws Exception {
        Path folder = temp.resolve("rules");
        assertTrue(RuleFiles.seed(folder));
        assertEquals(Files.readString(Path.of("drl/cpu.drl")), Files.readString(folder.resolve("cpu.drl")));
        assertEquals(RuleFiles.DEFAULTS, RuleFiles.read(folder).keySet().stream().toList());
        Files.delete(folder.resolve("cpu.drl"));
        assertFalse(RuleFiles.seed(folder));
        assertFalse(Files.exists(folder.resolve("cpu.drl")), "an operator's deletion stands");
    }

    @Test
    void writeReplacesAFileWholeAndRefusesPaths(@TempDir Path folder) throws Exception {
        RuleFiles.write(folder, "mine.drl", GOOD);
        assertEquals(GOOD, Files.readString(folder.resolve("mine.drl")));
        assertThrows(IllegalArgumentException.class, () -> RuleFiles.write(folder, "../escape.drl", GOOD));
        assertThrows(IllegalArgumentException.class, () -> RuleFiles.write(folder, "notes.txt", GOOD));
        try (var left = Files.list(folder)) {
            assertEquals(1, left.count(), "no temporary file is left behind");
        }
    }
}
