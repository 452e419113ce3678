package dev.vigil.server.auth;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.vigil.server.model.Role;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * API tokens for the Telegram bot and automation: issued by an admin with a role, shown once, kept as their
 * SHA-256, revocable; the last use is kept (to the minute).
 */
public final class ApiTokens {
    public record Token(long id, String name, Role role, String createdBy, Instant createdAt,
                        Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {
    }

    /** A new token and its value, which is shown this once. */
    public record Issued(Token token, String value) {
    }

    /** Tokens are recognisable in logs and secret scanners by this prefix. */
    public static final String PREFIX = "vgl_";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final DbClient db;
    private final Clock clock;

    public ApiTokens(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Issued issue(String name, Role role, String by) {
        String value = PREFIX + Secrets.random();
        String hash = Secrets.sha256(value);
        db.execute().namedInsert("insert-token", name, hash, role.json(), by, Timestamp.from(clock.instant()));
        return new Issued(db.execute().namedGet("select-token-by-hash", hash).map(ApiTokens::token).orElseThrow(),
                value);
    }

    /** The live token of this value; its use is noted. */
    public Optional<Token> find(String value) {
        Optional<Token> token = db.execute().namedGet("select-token-by-hash", Secrets.sha256(value))
                .map(ApiTokens::token);
        Instant now = clock.instant();
        token.filter(t -> t.lastUsedAt().map(used -> used.plus(TOUCH_EVERY).isBefore(now)).orElse(true))
                .ifPresent(t -> db.execute().namedUpdate("touch-token", Timestamp.from(now), t.id()));
        return token;
    }

    public List<Token> list() {
        return db.execute().namedQuery("select-tokens").map(ApiTokens::token).toList();
    }

    public boolean revoke(long id) {
        return db.execute().namedUpdate("revoke-token", Timestamp.from(clock.instant()), id) > 0;
    }

    private static Token token(DbRow row) {
        return new Token(row.column("id").get(Long.class), row.column("name").get(String.class),
                Role.parse(row.column("role").get(String.class)).orElse(Role.VIEWER),
                row.column("created_by").get(String.class), row.column("created_at").get(Timestamp.class).toInstant(),
                Optional.ofNullable(row.column("last_used_at").get(Timestamp.class)).map(Timestamp::toInstant),
                Optional.ofNullable(row.column("revoked_at").get(Timestamp.class)).map(Timestamp::toInstant));
    }
}
