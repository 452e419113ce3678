package dev.vigil.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request's head, read strictly: anything that is not plain HTTP/1.1 (or 1.0) is {@link Malformed}. */
record Request(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
               boolean http10) {
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEAD = 16 * 1024;
    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

    /** A head that cannot be read; {@code status} says how to answer it. */
    static final class Malformed extends Exception {
        final Status status;

        Malformed(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        Malformed(String message) {
            this(Status.BAD_REQUEST_400, message);
        }
    }

    /** Reads the next head; empty when the connection ended before its first byte. */
    static Optional<Request> read(InputStream in) throws IOException, Malformed {
        int[] used = {0};
        String line = line(in, used, true);
        if (line == null) {
            return Optional.empty();
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || !parts[1].startsWith("/")) {
            throw new Malformed("malformed request line");
        }
        boolean http10 = switch (parts[2]) {
            case "HTTP/1.1" -> false;
            case "HTTP/1.0" -> true;
            default -> throw new Malformed("unsupported protocol");
        };
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(in, used, false); !header.isEmpty(); header = line(in, used, false)) {
            int colon = header.indexOf(':');
            if (colon <= 0 || !isToken(header.substring(0, colon))) {
                throw new Malformed("malformed header");
            }
            String value = header.substring(colon + 1).strip();
            headers.computeIfAbsent(header.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(value);
        }
        int question = parts[1].indexOf('?');
        String path = question < 0 ? parts[1] : parts[1].substring(0, question);
        Map<String, List<String>> query = question < 0 ? Map.of() : query(parts[1].substring(question + 1));
        return Optional.of(new Request(parts[0], path, query, headers, http10));
    }

    private static Map<String, List<String>> query(String raw) throws Malformed {
        Map<String, List<String>> query = new LinkedHashMap<>();
        try {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
        } catch (IllegalArgumentException e) {
            throw new Malformed("malformed query");
        }
        return query;
    }

    /** One CRLF-ended line of ISO-8859-1 without control characters (tabs allowed); null at a clean end of input. */
    private static String line(InputStream in, int[] used, boolean first) throws IOException, Malformed {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && line.isEmpty()) {
                    return null;
                }
                throw new Malformed("the request ended inside its head");
            }
            if (++used[0] > MAX_HEAD || line.length() >= MAX_LINE) {
                throw new Malformed(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "the request's head is too large");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new Malformed("a CR without LF");
                }
                used[0]++;
                return line.toString();
            }
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw new Malformed("a control character in the head");
            }
            if (line.isEmpty() && !first && (b == ' ' || b == '\t')) {
                throw new Malformed("a folded header line");
            }
            line.append((char) b);
        }
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || TOKEN_CHARS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    Optional<String> first(String name) {
        return Optional.ofNullable(headers.get(name)).map(List::getFirst);
    }

    boolean keepAlive() {
        String connection = first("connection").orElse("").toLowerCase(Locale.ROOT);
        return http10 ? connection.contains("keep-alive") : !connection.contains("close");
    }

    boolean expectsContinue() {
        return !http10 && first("expect").map(v -> v.equalsIgnoreCase("100-continue")).orElse(false);
    }

    boolean chunked() {
        return headers.containsKey("transfer-encoding");
    }

    /** The declared body length; a malformed or contradictory one was refused by {@link #checkFraming}. */
    Optional<Long> contentLength() {
        return first("content-length").map(Long::parseLong);
    }

    /** One way to tell where the body ends, or none: Content-Length of digits, or exactly {@code chunked}. */
    void checkFraming() throws Malformed {
        List<String> lengths = headers.getOrDefault("content-length", List.of());
        List<String> encodings = headers.getOrDefault("transfer-encoding", List.of());
        if (!lengths.isEmpty() && !encodings.isEmpty()) {
            throw new Malformed("both Content-Length and Transfer-Encoding");
        }
        if (!encodings.isEmpty() && (encodings.size() > 1 || !encodings.getFirst().equalsIgnoreCase("chunked")
                || http10)) {
            throw new Malformed(Status.NOT_IMPLEMENTED_501, "only the chunked transfer coding is understood");
        }
        for (String length : lengths) {
            if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                    || !length.equals(lengths.getFirst())) {
                throw new Malformed("malformed Content-Length");
            }
        }
    }
}
