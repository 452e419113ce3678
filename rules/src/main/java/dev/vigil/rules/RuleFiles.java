package dev.vigil.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The DRL files of a rules folder: read them, seed the folder with the defaults, replace one file atomically. */
public final class RuleFiles {
    /** The default rules, packed into the jar from rules/drl. */
    public static final List<String> DEFAULTS = List.of("cpu.drl", "disk.drl", "host.drl", "load.drl", "memory.drl",
            "probes.drl", "services.drl", "smart.drl");
    /** Far more than any policy needs; a larger file is junk, not rules. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\\.drl");

    private RuleFiles() {
    }

    /** A file name rules may live in: letters, digits, {@code _ . -}, ending in {@code .drl}; no paths. */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Every {@code *.drl} file directly in the folder, by name.
     *
     * @throws NotText when a file is larger than {@link #MAX_FILE_BYTES} or not UTF-8 text
     */
    public static Map<String, String> read(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.filter(p -> validName(p.getFileName().toString()) && Files.isRegularFile(p))
                    .toList()) {
                files.put(file.getFileName().toString(), text(file));
            }
        }
        return files;
    }

    private static String text(Path file) throws IOException {
        String name = file.getFileName().toString();
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new NotText(name, "is " + size / 1024 + " KiB; a rule file holds at most "
                    + MAX_FILE_BYTES / 1024 + " KiB");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NotText(name, "is not UTF-8 text");
        }
    }

    /** A rule file that cannot be rules: too large, or not text. */
    public static final class NotText extends IOException {
        private final String file;

        NotText(String file, String why) {
            super(file + " " + why);
            this.file = file;
        }

        public String file() {
            return file;
        }
    }

    /** Creates the folder with the default rules in it when it does not exist; true when it did that. */
    public static boolean seed(Path folder) throws IOException {
        if (Files.exists(folder)) {
            return false;
        }
        Files.createDirectories(folder);
        for (String name : DEFAULTS) {
            Files.writeString(folder.resolve(name), bundled(name), StandardCharsets.UTF_8);
        }
        return true;
    }

    /** A default rule file as shipped. */
    public static String bundled(String name) {
        try (InputStream in = RuleFiles.class.getResourceAsStream("/default-rules/" + name)) {
            if (in == null) {
                throw new IllegalStateException("default-rules/" + name + " is not in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces (or creates) one file: written beside it, then moved over it, so no reader sees half a file. */
    public static void write(Path folder, String name, String text) throws IOException {
        if (!validName(name)) {
            throw new IllegalArgumentException("not a rule file name: " + name);
        }
        Path temporary = Files.createTempFile(folder, ".", ".drl.tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
