package dev.vigil.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Long lists within Telegram's 4,096 characters a message. Lengths are counted on the HTML, which is never shorter
 * than the text Telegram counts, so a page that fits here fits there.
 */
final class Pages {
    static final int LIMIT = 4096;
    /** Room kept for the "Page 12 of 34" line. */
    private static final int FOOTER_ROOM = 40;

    /** One page: its HTML and the items on it (an action page's buttons are its items'). */
    record Page<T>(String html, List<T> items) {
    }

    private Pages() {
    }

    /**
     * {@code header}, then one line per item, at most {@code maxItems} and {@value #LIMIT} characters a page;
     * always at least one page. Each line must fit a page (the views bound the user data in a line).
     */
    static <T> List<Page<T>> split(String header, List<T> items, Function<T, String> line, int maxItems) {
        int budget = LIMIT - FOOTER_ROOM - header.length();
        List<List<T>> groups = new ArrayList<>();
        List<StringBuilder> bodies = new ArrayList<>();
        for (T item : items) {
            String text = line.apply(item);
            if (groups.isEmpty() || groups.getLast().size() >= maxItems
                    || bodies.getLast().length() + 1 + text.length() > budget) {
                groups.add(new ArrayList<>());
                bodies.add(new StringBuilder());
            }
            groups.getLast().add(item);
            bodies.getLast().append('\n').append(text);
        }
        if (groups.isEmpty()) {
            return List.of(new Page<>(header, List.of()));
        }
        List<Page<T>> pages = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String footer = groups.size() > 1 ? "\n\n<i>Page " + (i + 1) + " of " + groups.size() + "</i>" : "";
            pages.add(new Page<>(header + "\n" + bodies.get(i) + footer, List.copyOf(groups.get(i))));
        }
        return pages;
    }

    /** The lines joined, as many as fit one message; the rest said to be left out. */
    static String fit(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String next = (i == 0 ? "" : "\n") + lines.get(i);
            if (out.length() + next.length() > LIMIT - FOOTER_ROOM) {
                return out.append("\n… ").append(lines.size() - i).append(" more lines left out").toString();
            }
            out.append(next);
        }
        return out.toString();
    }
}
