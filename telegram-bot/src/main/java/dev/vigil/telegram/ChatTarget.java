package dev.vigil.telegram;

import java.util.Optional;

/** Where a message goes: a chat and, in a forum supergroup, one of its topics. */
public record ChatTarget(long chatId, Optional<Integer> topicId) {
    public static ChatTarget of(long chatId) {
        return new ChatTarget(chatId, Optional.empty());
    }

    /** Groups and channels have negative ids; Telegram allows them 20 messages a minute. */
    public boolean group() {
        return chatId < 0;
    }
}
