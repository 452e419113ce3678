package dev.vigil.telegram;

/** Starts the Vigil Telegram bot. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("vigil-telegram-bot");
    }
}
