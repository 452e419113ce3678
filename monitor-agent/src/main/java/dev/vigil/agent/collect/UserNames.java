package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * User names by uid from a passwd file, read again when it changes. Like psutil's {@code username()}, a uid
 * without a name is shown as the number.
 */
final class UserNames {
    private static final Logger LOG = Logger.getLogger(UserNames.class.getName());

    private final Path passwd;
    private Map<Long, String> names = Map.of();
    private FileTime readAt;
    private boolean warned;

    UserNames(Path passwd) {
        this.passwd = passwd;
    }

    String name(long uid) {
        refresh();
        String name = names.get(uid);
        return name != null ? name : Long.toString(uid);
    }

    private void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(passwd);
            if (modified.equals(readAt)) {
                return;
            }
            Map<Long, String> read = new HashMap<>();
            for (String line : Files.readAllLines(passwd)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 3 && ProcFs.isDigits(fields[2])) {
                    read.putIfAbsent(Long.parseLong(fields[2]), fields[0]);
                }
            }
            names = read;
            readAt = modified;
            warned = false;
        } catch (IOException e) {
            if (!warned) {
                LOG.warning("Showing users as uids: cannot read " + passwd + ": " + e.getMessage());
                warned = true;
            }
        }
    }
}
