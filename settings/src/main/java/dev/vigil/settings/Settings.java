package dev.vigil.settings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.helidon.config.Config;

/**
 * Reads settings strictly from a {@link SettingsSource} (Helidon config, or the environment over a flat map), where
 * environment variables map onto keys
 * ({@code VIGIL_AGENT_DRY_RUN} → {@code vigil.agent.dry.run}). A value that cannot be read is a
 * {@link SettingsException} naming that variable and what it accepts; nothing falls back to a default then.
 * Values are stripped, and an empty value counts as unset.
 * <p>
 * The reader remembers every variable it was asked for, so that {@link #unknownVariables} can name the ones set
 * in the environment that nothing reads (a typo such as {@code VIGIL_AGENT_DRYRUN}). It is meant for one thread
 * reading the settings at start.
 */
public final class Settings {
    private static final int MAX_SECRET_FILE_BYTES = 64 * 1024;
    /** Room for a whole system CA bundle (about 220 KiB). */
    private static final int MAX_CERTIFICATES_FILE_BYTES = 1024 * 1024;
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");
    private static final int SHOWN_CHARACTERS = 60;

    private final SettingsSource root;
    private final String section;
    private final Set<String> variablesRead;

    private Settings(SettingsSource root, String section, Set<String> variablesRead) {
        this.root = root;
        this.section = section;
        this.variablesRead = variablesRead;
    }

    public static Settings of(Config root) {
        return of(SettingsSource.of(root));
    }

    public static Settings of(SettingsSource root) {
        return new Settings(root, "", new TreeSet<>());
    }

    /** The keys below {@code section} ({@code vigil.agent}); they share what was read with this reader. */
    public Settings under(String section) {
        return new Settings(root, this.section + section + ".", variablesRead);
    }

    /** The environment variable of a key: {@code dry.run} under {@code vigil.agent} is {@code VIGIL_AGENT_DRY_RUN}. */
    public String variable(String key) {
        return (section + key).replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** A refusal of a key's value for a reason the caller checked: {@code VIGIL_X <what it must be>}. */
    public SettingsException invalid(String key, String mustBe) {
        return new SettingsException(variable(key) + " " + mustBe);
    }

    public Optional<String> text(String key) {
        return value(key, false);
    }

    public String text(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    /** {@code true} or {@code false} in any case, nothing else. */
    public boolean bool(String key, boolean fallback) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.get().equalsIgnoreCase("false")) {
            return false;
        }
        throw refused(key, "must be true or false", value.get());
    }

    public int integer(String key, int fallback, int min, int max) {
        return (int) number(key, fallback, min, max);
    }

    /** A whole number in decimal digits within {@code [min, max]}; however long the digits, it never wraps. */
    public long number(String key, long fallback, long min, long max) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (WHOLE_NUMBER.matcher(value.get()).matches()) {
            BigInteger number = new BigInteger(value.get());
            if (number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0) {
                return number.longValueExact();
            }
        }
        throw refused(key, "must be a whole number from " + min + " to " + max, value.get());
    }

    /** A duration within {@code [min, max]}: {@code 500ms}, {@code 2s}, {@code 10m}, {@code 8h}, {@code 7d}, ISO-8601. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        Optional<Duration> parsed = Durations.parse(value.get());
        if (parsed.isPresent() && parsed.get().compareTo(min) >= 0 && parsed.get().compareTo(max) <= 0) {
            return parsed.get();
        }
        throw refused(key, "must be a duration from " + Durations.format(min) + " to " + Durations.format(max)
                + " (such as 500ms, 2s, 10m, 8h, 7d, or ISO-8601 like PT2S)", value.get());
    }

    /** A comma list ({@code a,b}) or a YAML list; items are stripped, and an empty item is refused. */
    public Optional<List<String>> list(String key) {
        SettingsSource.Node node = node(key);
        List<String> items;
        if (node.kind() == SettingsSource.Kind.LIST_OF_SECTIONS) {
            throw invalid(key, "must be a list of values, not of sections");
        } else if (node.kind() == SettingsSource.Kind.LIST) {
            items = node.items();
        } else {
            Optional<String> value = text(key);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            items = Arrays.asList(value.get().split(",", -1));
        }
        List<String> stripped = items.stream().map(String::strip).toList();
        if (stripped.contains("")) {
            throw refused(key, "must be a comma list without empty items", String.join(",", items));
        }
        return Optional.of(stripped);
    }

    /** One of the constants of {@code fallback}'s enum, by its name in any case. */
    public <E extends Enum<E>> E oneOf(String key, E fallback) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return fallback;
        }
        List<E> constants = List.of(fallback.getDeclaringClass().getEnumConstants());
        for (E constant : constants) {
            if (constant.name().equalsIgnoreCase(value.get())) {
                return constant;
            }
        }
        List<String> names = constants.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        throw refused(key, "must be one of " + String.join(", ", names.subList(0, names.size() - 1)) + " or "
                + names.getLast(), value.get());
    }

    public Optional<Path> path(String key) {
        return text(key).map(value -> {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw refused(key, "must be a file system path", value);
            }
        });
    }

    public Path path(String key, Path fallback) {
        return path(key).orElse(fallback);
    }

    /**
     * A URL that starts with one of {@code schemes} ({@code jdbc:mariadb://}) and has more after it, without
     * spaces. The value is not shown when refused: a URL may hold a password.
     */
    public Optional<String> url(String key, String... schemes) {
        Optional<String> value = text(key);
        boolean valid = value.map(url -> url.chars().noneMatch(Character::isWhitespace) && Arrays.stream(schemes)
                .anyMatch(scheme -> url.startsWith(scheme) && url.length() > scheme.length())).orElse(true);
        if (!valid) {
            throw invalid(key, "must be a URL starting with " + String.join(" or ", schemes));
        }
        return value;
    }

    public Pattern pattern(String key, String fallback) {
        String regex = text(key, fallback);
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw refused(key, "must be a regular expression (" + e.getDescription() + ")", regex);
        }
    }

    /**
     * A secret, from the key ({@code VIGIL_AGENT_TOKEN}) or from the file its {@code .file} twin names
     * ({@code VIGIL_AGENT_TOKEN_FILE}: Docker or systemd secrets), stripped like any value. Both set is refused;
     * so is a file that cannot be read or is empty, naming the file but never showing its content.
     */
    public Optional<String> secret(String key) {
        String fileKey = key + ".file";
        Optional<String> direct = value(key, true);
        Optional<Path> file = path(fileKey);
        if (direct.isPresent() && file.isPresent()) {
            throw new SettingsException("set one of " + variable(key) + " and " + variable(fileKey) + ", not both");
        }
        return file.map(path -> secretFile(fileKey, path)).or(() -> direct);
    }

    /**
     * X.509 certificates from the PEM file the key names ({@code -----BEGIN CERTIFICATE-----} blocks; text between
     * them, as in CA bundles, is skipped). A file that cannot be read, holds no certificate, a block that is no
     * certificate (a private key has no place here) or one that cannot be decoded is refused, naming the file.
     */
    public Optional<List<X509Certificate>> certificates(String key) {
        return path(key).map(file -> {
            String named = variable(key) + ": ";
            String pem = textFile(named, file, MAX_CERTIFICATES_FILE_BYTES);
            List<X509Certificate> certificates = new ArrayList<>();
            Matcher block = PEM_BLOCK.matcher(pem);
            int blocks = 0;
            while (block.find()) {
                blocks++;
                String what = block.group(1);
                if (!what.equals("CERTIFICATE")) {
                    throw new SettingsException(named + file + " holds a " + what + " block: give certificates only");
                }
                certificates.add(certificate(named + "certificate " + (certificates.size() + 1) + " in " + file,
                        block.group(2)));
            }
            if (blocks != pem.split("-----BEGIN ", -1).length - 1) {
                throw new SettingsException(named + file + " has a -----BEGIN line without its -----END line");
            }
            if (certificates.isEmpty()) {
                throw new SettingsException(named + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return List.copyOf(certificates);
        });
    }

    /** The environment variables of every key read so far, sorted. */
    public Set<String> variables() {
        return Collections.unmodifiableSet(variablesRead);
    }

    /**
     * The variables in {@code environment} that start with {@code prefix} but that no read of this reader asked
     * for, sorted: likely typos. {@code others} are names that belong to someone else (a launcher's
     * {@code VIGIL_AGENT_JVM_OPTS}) and, ending in {@code _}, prefixes of other components' settings.
     */
    public List<String> unknownVariables(Map<String, String> environment, String prefix, Set<String> others) {
        return environment.keySet().stream()
                .filter(name -> name.startsWith(prefix) && !variablesRead.contains(name))
                .filter(name -> others.stream().noneMatch(other -> other.endsWith("_") ? name.startsWith(other)
                        : name.equals(other)))
                .sorted().toList();
    }

    private SettingsSource.Node node(String key) {
        variablesRead.add(variable(key));
        return root.node(section + key);
    }

    /** The stripped value; a key that is also a section is allowed only where its children are its twins. */
    private Optional<String> value(String key, boolean sectionAllowed) {
        SettingsSource.Node node = node(key);
        if (node.isList()) {
            throw invalid(key, "must be one value, not a list");
        }
        Optional<String> value = Optional.ofNullable(node.value()).map(String::strip).filter(v -> !v.isEmpty());
        if (value.isEmpty() && !sectionAllowed && node.kind() == SettingsSource.Kind.SECTION) {
            throw invalid(key, "must be one value, not a section");
        }
        return value;
    }

    private SettingsException refused(String key, String mustBe, String value) {
        return invalid(key, mustBe + ", not " + shown(value));
    }

    /** Quoted, on one line, and short: a value may hold anything an environment variable can. */
    private static String shown(String value) {
        StringBuilder shown = new StringBuilder("'");
        value.codePoints().limit(SHOWN_CHARACTERS).forEach(c -> {
            if (c == '\n') {
                shown.append("\\n");
            } else if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.append(value.codePointCount(0, value.length()) > SHOWN_CHARACTERS ? "…'" : "'").toString();
    }

    private String secretFile(String fileKey, Path file) {
        String named = variable(fileKey) + ": ";
        String content = textFile(named, file, MAX_SECRET_FILE_BYTES);
        if (content.isEmpty()) {
            throw new SettingsException(named + file + " is empty");
        }
        return content;
    }

    private static X509Certificate certificate(String which, String base64) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(which + " is not base64");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new SettingsException(which + " cannot be read as an X.509 certificate");
        }
    }

    /** The file's stripped UTF-8 text, at most {@code maxBytes}; {@code named} starts every refusal. */
    private static String textFile(String named, Path file, int maxBytes) {
        if (Files.isDirectory(file)) {
            throw new SettingsException(named + "cannot read " + file + " (a directory)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new SettingsException(named + "cannot read " + file + " (" + reason(e) + ")");
        }
        if (bytes.length > maxBytes) {
            throw new SettingsException(named + file + " is larger than " + maxBytes / 1024 + " KiB");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString().strip();
        } catch (CharacterCodingException e) {
            throw new SettingsException(named + "cannot read " + file + " (not UTF-8 text)");
        }
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "permission denied";
            case FileSystemException other when other.getReason() != null -> other.getReason();
            default -> "read error";
        };
    }
}
