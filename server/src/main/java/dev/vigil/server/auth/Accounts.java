package dev.vigil.server.auth;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.vigil.server.model.Role;
import dev.vigil.server.store.Database;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

/**
 * Users and their passwords, hashed with bcrypt (cost {@code VIGIL_BCRYPT_COST}, 12 by default: about a quarter
 * of a second per login on one core of the test machine, docs/security.md).
 */
public final class Accounts {
    public record User(long id, String username, Role role, Instant createdAt, Instant passwordChangedAt) {
    }

    /** A username or password the policy refuses; the message says why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A username another account has already, in this case or another. */
    public static final class Taken extends RuntimeException {
        Taken(String username) {
            super("the username " + username + " is taken (usernames are the same whatever their case)", null, false,
                    false);
        }
    }

    public static final int MIN_PASSWORD = 12;
    /** bcrypt reads at most 72 bytes; a longer password would be cut silently, so it is refused. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final DbClient db;
    private final int cost;
    private final Clock clock;
    /** Checked against when the user does not exist, so that a wrong name costs as long as a wrong password. */
    private final String decoy;

    public Accounts(DbClient db, int cost, Clock clock) {
        this.db = db;
        this.cost = cost;
        this.clock = clock;
        this.decoy = BCrypt.withDefaults().hashToString(cost, Secrets.random().toCharArray());
    }

    public boolean none() {
        return db.execute().namedGet("count-users").map(row -> row.column("n").get(Long.class)).orElse(0L) == 0;
    }

    public User create(String username, String password, Role role) {
        if (!USERNAME.matcher(username).matches()) {
            throw new Refused("a username is 1–64 letters, digits or . _ @ -");
        }
        checkPassword(password, username);
        if (byName(username).isPresent()) {
            throw new Taken(username);
        }
        Instant now = clock.instant();
        try {
            db.execute().namedInsert("insert-user", username, hash(password), role.json(), Timestamp.from(now),
                    Timestamp.from(now));
        } catch (DbClientException e) {
            if (Database.violatesConstraint(e)) {
                throw new Taken(username); // made at the same moment by another request
            }
            throw e;
        }
        return byName(username).orElseThrow();
    }

    /**
     * The user, when the password is theirs; the name in any case ("Alice" finds alice). As slow for an unknown
     * name as for a wrong password.
     */
    public Optional<User> verify(String username, String password) {
        Optional<DbRow> row = db.execute().namedGet("select-user-by-name", username);
        String hash = row.map(r -> r.column("password_hash").get(String.class)).orElse(decoy);
        boolean matches = password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES
                && BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
        return matches ? row.map(Accounts::user) : Optional.empty();
    }

    public void changePassword(long userId, String password) {
        User user = find(userId).orElseThrow(() -> new Refused("no user " + userId));
        checkPassword(password, user.username());
        db.execute().namedUpdate("update-user-password", hash(password), Timestamp.from(clock.instant()), userId);
    }

    public void changeRole(long userId, Role role) {
        db.execute().namedUpdate("update-user-role", role.json(), userId);
    }

    public boolean delete(long userId) {
        return db.execute().namedDelete("delete-user", userId) > 0;
    }

    public Optional<User> find(long id) {
        return db.execute().namedGet("select-user", id).map(Accounts::user);
    }

    public Optional<User> byName(String username) {
        return db.execute().namedGet("select-user-by-name", username).map(Accounts::user);
    }

    public List<User> list() {
        return db.execute().namedQuery("select-users").map(Accounts::user).toList();
    }

    private String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    private static void checkPassword(String password, String username) {
        if (password.length() < MIN_PASSWORD) {
            throw new Refused("a password has at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new Refused("a password has at most " + MAX_PASSWORD_BYTES + " bytes (bcrypt ignores the rest)");
        }
        if (password.equalsIgnoreCase(username)) {
            throw new Refused("the password must not be the username");
        }
    }

    private static User user(DbRow row) {
        return new User(row.column("id").get(Long.class), row.column("username").get(String.class),
                Role.parse(row.column("role").get(String.class)).orElse(Role.VIEWER),
                row.column("created_at").get(Timestamp.class).toInstant(),
                row.column("password_changed_at").get(Timestamp.class).toInstant());
    }
}
