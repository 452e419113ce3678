-- The Telegram bot's settings (GET/PUT /api/v1/settings/telegram, read by the bot through GET
-- /api/v1/telegram/config): one row. The bot token is sealed with the server's key (SecretBox) like the agents'
-- tokens, NULL when none is set; the notification chats and the allowed Telegram users are JSON lists.
CREATE TABLE telegram_settings (
    id                 TINYINT         NOT NULL PRIMARY KEY,
    token_enc          VARBINARY(1024) NULL,
    chats              LONGTEXT        NOT NULL CHECK (JSON_VALID(chats)),
    users              LONGTEXT        NOT NULL CHECK (JSON_VALID(users)),
    min_severity       VARCHAR(16)     NOT NULL,
    quiet_non_critical TINYINT         NOT NULL,
    updated_at         TIMESTAMP(3)    NULL,
    updated_by         VARCHAR(255)    NULL,
    CONSTRAINT telegram_settings_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO telegram_settings (id, chats, users, min_severity, quiet_non_critical)
VALUES (1, '[]', '[]', 'warning', 1);
