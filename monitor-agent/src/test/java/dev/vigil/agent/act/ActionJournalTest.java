package dev.vigil.agent.act;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionJournalTest {
    @TempDir
    Path dir;

    private static ActionRequest restart(UUID id) {
        return new ActionRequest(id, "restart_service", "nginx.service", OptionalInt.empty(), OptionalDouble.empty(),
                "TERM", "");
    }

    @Test
    void openingKeepsTheLastTenThousandResultsInOrder() throws Exception {
        List<UUID> ids = IntStream.range(0, ActionJournal.KEPT_RESULTS + 5).mapToObj(i -> UUID.randomUUID()).toList();
        try (ActionJournal journal = ActionJournal.open(dir)) {
            for (UUID id : ids) {
                journal.finished(restart(id), new ActionResult(id, Outcome.succeeded("ok " + id)), Instant.now());
            }
        }
        try (ActionJournal journal = ActionJournal.open(dir)) {
            assertEquals(ids.subList(5, ids.size()), List.copyOf(journal.results().keySet()));
            assertEquals("ok " + ids.get(5), journal.results().get(ids.get(5)).detail());
        }
        assertEquals(ActionJournal.KEPT_RESULTS, Files.readAllLines(dir.resolve(ActionJournal.FILE_NAME)).size());
        assertFalse(Files.exists(dir.resolve(ActionJournal.FILE_NAME + ".new")));
    }

    @Test
    void aStartWithoutAResultBecomesAFailureAndAResultAfterItsStartIsKept() throws Exception {
        UUID cutShort = UUID.randomUUID();
        UUID finished = UUID.randomUUID();
        try (ActionJournal journal = ActionJournal.open(dir)) {
            journal.started(restart(cutShort), Instant.now());
            journal.started(restart(finished), Instant.now());
            journal.finished(restart(finished), new ActionResult(finished, Outcome.failed("job failed")), Instant.now());
        }
        Files.writeString(dir.resolve(ActionJournal.FILE_NAME), "{\"id\":\"half a line",
                java.nio.file.StandardOpenOption.APPEND);
        try (ActionJournal journal = ActionJournal.open(dir)) {
            assertEquals(new ActionResult(cutShort, ActionStatus.FAILED, ActionJournal.CUT_SHORT, false),
                    journal.results().get(cutShort));
            assertEquals(new ActionResult(finished, ActionStatus.FAILED, "job failed", false),
                    journal.results().get(finished));
        }
        assertTrue(Files.readString(dir.resolve(ActionJournal.FILE_NAME)).endsWith("}\n"));
    }
}
