-- A username is the same name whatever its case (docs/security.md): "Alice" and "alice" cannot both exist, and
-- either logs in to the account. A database from before may hold names that differ only in case: the oldest
-- account keeps its name, each later one is renamed <name>~<id> ("~" is not allowed in a username, so the new
-- name collides with none) and the audit log says so; an admin tells those users their new names.
INSERT INTO audit (at, actor, event, subject, detail, result)
SELECT CURRENT_TIMESTAMP(3), 'migration', 'user_renamed', CONCAT('user ', later.username),
       CONCAT('renamed to ', LEFT(later.username, 63 - LENGTH(later.id)), '~', later.id, ': ', oldest.username,
              ' has the same name in another case and is older'), 'ok'
FROM users later
JOIN users oldest ON oldest.id = (SELECT MIN(same.id) FROM users same
                                  WHERE LOWER(same.username) = LOWER(later.username))
WHERE later.id <> oldest.id;

UPDATE users later
JOIN users older ON LOWER(older.username) = LOWER(later.username) AND older.id < later.id
SET later.username = CONCAT(LEFT(later.username, 63 - LENGTH(later.id)), '~', later.id);

-- Case-insensitive from now on: the unique key, and every lookup by name (login). NO PAD: "admin " is not admin.
ALTER TABLE users MODIFY username VARCHAR(64) NOT NULL COLLATE utf8mb4_general_nopad_ci;
