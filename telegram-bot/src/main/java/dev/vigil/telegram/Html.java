package dev.vigil.telegram;

/** Telegram's HTML parse mode: everything that is user data (host, unit and rule text) goes through {@link #escape}. */
public final class Html {
    private Html() {
    }

    /** The text with {@code & < > "} escaped, so it shows as written and can never open a tag or a link. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
