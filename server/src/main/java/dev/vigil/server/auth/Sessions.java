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
 * Browser sessions: a random secret in an HttpOnly cookie, kept here as its SHA-256 only, with the CSRF token the
 * browser must send back on unsafe methods. A session ends when idle for {@code idle}, after {@code lifetime}
 * in any case, at logout, or when revoked.
 */
public final class Sessions {
    /** A session as listed: never its secret. */
    public record Session(long id, long userId, String username, Role role, String csrfToken, String address,
                          Instant createdAt, Instant lastSeen, Instant expiresAt) {
    }

    /** A new session: the secret goes into the cookie and is not kept. */
    public record Opened(Session session, String secret) {
    }

    /** Last-seen times are written at most this often. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final DbClient db;
    private final Duration idle;
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(DbClient db, Duration idle, Duration lifetime, Clock clock) {
        this.db = db;
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Opened open(Accounts.User user, String address) {
        String secret = Secrets.random();
        Instant now = clock.instant();
        String hash = Secrets.sha256(secret);
        db.execute().namedInsert("insert-session", hash, Secrets.random(), user.id(), address, Timestamp.from(now),
                Timestamp.from(now), Timestamp.from(now.plus(lifetime)));
        return new Opened(find(secret).orElseThrow(), secret);
    }

    /** The live session of this secret; seeing it counts as activity. */
    public Optional<Session> find(String secret) {
        Instant now = clock.instant();
        Optional<Session> session = db.execute().namedGet("select-session", Secrets.sha256(secret),
                Timestamp.from(now), Timestamp.from(now.minus(idle))).map(Sessions::session);
        session.filter(s -> s.lastSeen().plus(TOUCH_EVERY).isBefore(now))
                .ifPresent(s -> db.execute().namedUpdate("touch-session", Timestamp.from(now), s.id()));
        return session;
    }

    /** Live sessions, of one user or (empty) of everyone. */
    public List<Session> list(Optional<Long> userId) {
        Instant now = clock.instant();
        return db.execute().namedQuery("select-sessions", userId.orElse(null), userId.orElse(null),
                Timestamp.from(now), Timestamp.from(now.minus(idle))).map(Sessions::session).toList();
    }

    /** Ends a session; {@code ofUser} limits it to that user's own. True when there was one. */
    public boolean revoke(long sessionId, Optional<Long> ofUser) {
        return db.execute().namedDelete("delete-session", sessionId, ofUser.orElse(null), ofUser.orElse(null)) > 0;
    }

    /** Ends every session of a user but {@code keep} (a password change keeps the session that made it). */
    public void revokeAll(long userId, Optional<Long> keep) {
        db.execute().namedDelete("delete-user-sessions", userId, keep.orElse(null), keep.orElse(null));
    }

    public long deleteExpired() {
        Instant now = clock.instant();
        return db.execute().namedDelete("delete-expired-sessions", Timestamp.from(now), Timestamp.from(now.minus(idle)));
    }

    public Duration lifetime() {
        return lifetime;
    }

    private static Session session(DbRow row) {
        return new Session(row.column("id").get(Long.class), row.column("user_id").get(Long.class),
                row.column("username").get(String.class),
                Role.parse(row.column("role").get(String.class)).orElse(Role.VIEWER),
                row.column("csrf_token").get(String.class), row.column("address").get(String.class),
                row.column("created_at").get(Timestamp.class).toInstant(),
                row.column("last_seen").get(Timestamp.class).toInstant(),
                row.column("expires_at").get(Timestamp.class).toInstant());
    }
}
