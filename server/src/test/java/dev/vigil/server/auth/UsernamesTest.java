package dev.vigil.server.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.vigil.server.model.Role;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.TestDatabase;
import dev.vigil.server.store.Database;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A username is one name whatever its case, in a new database and in one migrated from before that rule. */
class UsernamesTest {
    private static final String PASSWORD = "a long enough password";

    @Test
    void namesThatDifferOnlyInCaseAreTakenAndALoginInAnyCaseFindsTheAccount() {
        try (Database database = Database.open(TestDatabase.serverConfig())) {
            Accounts accounts = new Accounts(database.client(), 4, Clock.systemUTC());
            accounts.create("Alice", PASSWORD, Role.VIEWER);
            for (String again : List.of("Alice", "alice", "ALICE")) {
                Accounts.Taken taken = assertThrows(Accounts.Taken.class,
                        () -> accounts.create(again, "another long password", Role.ADMIN));
                assertTrue(taken.getMessage().startsWith("the username " + again + " is taken"), taken.getMessage());
            }
            assertEquals("Alice", accounts.verify("aLiCe", PASSWORD).orElseThrow().username());
            assertTrue(accounts.verify("alice ", PASSWORD).isEmpty(), "a trailing space is another name");
            assertEquals(1, accounts.list().size());
        }
    }

    @Test
    void theMigrationKeepsTheOldestNameRenamesTheOthersAndAuditsIt() throws Exception {
        ServerConfig config = TestDatabase.serverConfig();
        ServerConfig.ExternalDatabase db = config.database().orElseThrow();
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .target("5").load().migrate();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             PreparedStatement insert = c.prepareStatement("INSERT INTO users (username, password_hash, role,"
                     + " created_at, password_changed_at) VALUES (?, 'x', 'viewer', ?, ?)")) {
            for (String name : List.of("alice", "Alice", "bob", "ALICE")) {
                insert.setString(1, name);
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
        }

        try (Database database = Database.open(config)) {
            assertEquals(List.of("1 alice", "2 Alice~2", "3 bob", "4 ALICE~4"),
                    TestDatabase.firstColumn(db, "SELECT CONCAT(id, ' ', username) FROM users ORDER BY id"));
            assertEquals(List.of("user Alice: renamed to Alice~2: alice has the same name in another case and is older",
                            "user ALICE: renamed to ALICE~4: alice has the same name in another case and is older"),
                    TestDatabase.firstColumn(db, "SELECT CONCAT(subject, ': ', detail) FROM audit"
                            + " WHERE actor = 'migration' AND event = 'user_renamed' ORDER BY subject DESC"));
            Accounts accounts = new Accounts(database.client(), 4, Clock.systemUTC());
            assertThrows(Accounts.Taken.class, () -> accounts.create("Bob", PASSWORD, Role.VIEWER));
        }
    }
}
