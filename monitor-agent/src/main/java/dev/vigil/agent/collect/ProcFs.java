package dev.vigil.agent.collect;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.vigil.agent.collect.Snapshot.DiskIo;
import dev.vigil.agent.collect.Snapshot.NetIo;

/**
 * Reads the procfs files psutil reads, from a configurable root ({@code /host/proc} in a container), and
 * parses them the way psutil does.
 */
public final class ProcFs {
    /** psutil counts /proc/diskstats sectors as 512 bytes, whatever the device's block size. */
    private static final long SECTOR_SIZE = 512;
    /** USER_HZ: the unit of the tick counts in /proc, 100 on every Linux architecture psutil supports. */
    public static final double CLK_TCK = 100.0;
    /** The last field of /proc/PID/stat read here (rss), counted from the state field after the name. */
    private static final int STAT_FIELDS = 22;
    /** A stat line is about 300 bytes; its name at most 64, its 50 numbers at most 20 digits each. */
    private static final int STAT_BUFFER = 1200;

    private final Path root;
    private final String rootPrefix;
    private final byte[] statBuffer = new byte[STAT_BUFFER];

    public ProcFs(Path root) {
        this.root = root;
        this.rootPrefix = root + "/";
    }

    private List<String> lines(String relative) throws IOException {
        return Files.readAllLines(root.resolve(relative));
    }

    /** {@code line.trim().split("\\s+")} without compiling a regular expression for every line of every sample. */
    static String[] fields(String line) {
        String trimmed = line.trim();
        List<String> fields = new ArrayList<>(16);
        int start = 0;
        for (int i = 0; i <= trimmed.length(); i++) {
            if (i == trimmed.length() || isSpace(trimmed.charAt(i))) {
                if (i > start || i == trimmed.length()) {
                    fields.add(trimmed.substring(start, i));
                }
                start = i + 1;
            }
        }
        return fields.toArray(new String[0]);
    }

    /** What {@code \\s} matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The aggregate {@code cpu} line first, then one entry per online CPU ({@code cpuN}). */
    public List<CpuTimes> cpuTimes() throws IOException {
        List<CpuTimes> result = new ArrayList<>();
        for (String line : lines("stat")) {
            if (line.startsWith("cpu")) {
                result.add(CpuTimes.parse(fields(line)));
            }
        }
        if (result.isEmpty()) {
            throw new IOException(root.resolve("stat") + " has no cpu line");
        }
        return result;
    }

    /** {@code btime} of /proc/stat: boot time in seconds since the epoch. */
    public long bootTime() throws IOException {
        for (String line : lines("stat")) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(fields(line)[1]);
            }
        }
        throw new IOException(root.resolve("stat") + " has no btime line");
    }

    MemInfo memInfo() throws IOException {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : lines("meminfo")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = fields(line.substring(colon + 1));
            long number = Long.parseLong(value[0]);
            bytes.put(line.substring(0, colon), value.length > 1 && value[1].equals("kB") ? number * 1024 : number);
        }
        if (!bytes.containsKey("MemTotal")) {
            throw new IOException(root.resolve("meminfo") + " has no MemTotal line");
        }
        return new MemInfo(bytes);
    }

    public List<Double> loadAvg() throws IOException {
        String[] f = fields(lines("loadavg").get(0));
        return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
    }

    /** The mount table as the process sees it (psutil reads /proc/self/mounts too). */
    public List<Mount> mounts() throws IOException {
        Path self = root.resolve("self/mounts");
        List<String> lines = Files.readAllLines(Files.exists(self) ? self : root.resolve("mounts"));
        List<Mount> result = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] f = fields(line);
            if (f.length >= 3) {
                result.add(new Mount(Mount.unescape(f[0]), Mount.unescape(f[1]), f[2]));
            }
        }
        return result;
    }

    /** Filesystem types backed by a device: those /proc/filesystems does not mark {@code nodev} (psutil's rule). */
    public Set<String> deviceFilesystemTypes() throws IOException {
        Set<String> result = new LinkedHashSet<>();
        for (String line : lines("filesystems")) {
            String[] f = fields(line);
            if (f.length == 1 && !f[0].isEmpty()) {
                result.add(f[0]);
            } else if (f.length == 2 && f[0].equals("nodev") && f[1].equals("zfs")) {
                result.add("zfs");
            }
        }
        return result;
    }

    /** psutil's {@code disk_io_counters(perdisk=True)}, less RAM and loop devices that never did any I/O. */
    public Map<String, DiskIo> diskIo() throws IOException {
        Map<String, DiskIo> result = new LinkedHashMap<>();
        for (String line : lines("diskstats")) {
            String[] f = fields(line);
            if (f.length < 10) {
                continue;
            }
            String name = f[2];
            long reads = Long.parseLong(f[3]);
            long readSectors = Long.parseLong(f[5]);
            long writes = Long.parseLong(f[7]);
            long writeSectors = Long.parseLong(f[9]);
            boolean idleVirtual = (name.startsWith("ram") || name.startsWith("loop")) && reads == 0 && writes == 0;
            if (!idleVirtual) {
                result.put(name, new DiskIo(readSectors * SECTOR_SIZE, writeSectors * SECTOR_SIZE, reads, writes));
            }
        }
        return result;
    }

    /** psutil's {@code net_io_counters(pernic=True)} from /proc/net/dev. */
    public Map<String, NetIo> netIo() throws IOException {
        Map<String, NetIo> result = new LinkedHashMap<>();
        for (String line : lines("net/dev")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] f = fields(line.substring(colon + 1));
            if (f.length < 16) {
                continue;
            }
            long[] v = new long[16];
            for (int i = 0; i < 16; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            // receive: bytes packets errs drop fifo frame compressed multicast; transmit: the same eight.
            result.put(line.substring(0, colon).trim(),
                    new NetIo(v[8], v[0], v[9], v[1], v[2], v[10], v[3], v[11]));
        }
        return result;
    }

    /** The host name of the procfs' UTS namespace: the host's own when /proc is the host's. */
    public String hostname() throws IOException {
        return lines("sys/kernel/hostname").get(0).trim();
    }

    /** The pids of /proc, in directory order. */
    public List<Integer> pids() throws IOException {
        List<Integer> result = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isDigits(name) && Long.parseLong(name) <= Integer.MAX_VALUE) {
                    result.add(Integer.valueOf(name));
                }
            }
        }
        return result;
    }

    /** A whole number that fits a long. */
    static boolean isDigits(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * What /proc/PID/stat says; empty when the process has gone. Read into one buffer and parsed from its bytes:
     * this runs for every process in every sample, so it stays clear of channels, decoders, strings and garbage.
     */
    public synchronized Optional<ProcessStat> processStat(int pid) throws IOException {
        byte[] line = statBuffer;
        int length;
        try (FileInputStream in = new FileInputStream(rootPrefix + pid + "/stat")) {
            length = in.readNBytes(line, 0, line.length);
        } catch (IOException e) {
            if (hasGone(pid, e)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(ProcessStat.parse(pid, line, length));
    }

    /** What /proc/PID/status says; empty when the process has gone. */
    public Optional<ProcessStatus> processStatus(int pid) throws IOException {
        return processFile(pid, "status").map(ProcessStatus::parse);
    }

    /** Process files may hold any bytes in a name: undecodable ones become U+FFFD instead of failing the read. */
    private Optional<String> processFile(int pid, String file) throws IOException {
        try {
            return Optional.of(new String(Files.readAllBytes(root.resolve(pid + "/" + file)), StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (hasGone(pid, e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A process that exits while its files are read answers ESRCH instead of ENOENT, or vanishes between the two. */
    private boolean hasGone(int pid, IOException e) {
        return e instanceof NoSuchFileException || e instanceof FileNotFoundException
                || "No such process".equals(e.getMessage()) || !Files.isDirectory(root.resolve(Integer.toString(pid)));
    }

    /**
     * One process's line of /proc/PID/stat: the fields after the name that the process table and the killer read.
     * Times are in {@link #CLK_TCK} ticks, {@code rssPages} in pages.
     */
    public record ProcessStat(int pid, char state, int parentPid, long flags, long cpuTicks, long startTicks,
                              long rssPages) {
        /** The name in parentheses may itself hold spaces and parentheses: the fields follow the last ')'. */
        static ProcessStat parse(int pid, byte[] line, int length) throws IOException {
            int close = length - 1;
            while (close >= 0 && line[close] != ')') {
                close--;
            }
            if (close < 0) {
                throw new IOException("/proc/" + pid + "/stat has no (name)");
            }
            long[] fields = new long[STAT_FIELDS];
            char state = '?';
            int field = 0;
            int start = close + 2;
            for (int i = start; i <= length && field < STAT_FIELDS; i++) {
                if (i < length && line[i] != ' ' && line[i] != '\n') {
                    continue;
                }
                if (i > start) {
                    if (field == 0) {
                        state = (char) line[start];
                    } else {
                        fields[field] = number(pid, field, line, start, i);
                    }
                    field++;
                }
                start = i + 1;
            }
            if (field < STAT_FIELDS) {
                throw new IOException("/proc/" + pid + "/stat has " + (field + 2) + " fields, fewer than "
                        + (STAT_FIELDS + 2));
            }
            return new ProcessStat(pid, state, (int) fields[1], fields[6], fields[11] + fields[12], fields[19],
                    fields[21]);
        }

        /** Decimal digits, a leading minus allowed (the kernel prints some fields signed). */
        private static long number(int pid, int field, byte[] line, int start, int end) throws IOException {
            boolean negative = line[start] == '-';
            int first = negative ? start + 1 : start;
            if (first == end || end - first > 18) {
                throw notANumber(pid, field);
            }
            long value = 0;
            for (int i = first; i < end; i++) {
                if (line[i] < '0' || line[i] > '9') {
                    throw notANumber(pid, field);
                }
                value = value * 10 + (line[i] - '0');
            }
            return negative ? -value : value;
        }

        private static IOException notANumber(int pid, int field) {
            return new IOException("/proc/" + pid + "/stat field " + (field + 3) + " is not a number");
        }

        /** psutil's {@code create_time}: boot time plus the start ticks over {@link #CLK_TCK}. */
        public double createTime(long bootTime) {
            return bootTime + startTicks / CLK_TCK;
        }
    }

    /**
     * The lines of /proc/PID/status the process table and the killer read: {@code Name} (the kernel's name,
     * escaped), the real {@code Uid} and {@code VmRSS} (absent for kernel threads: 0).
     */
    public record ProcessStatus(String name, long uid, long rssBytes) {
        static ProcessStatus parse(String status) {
            String name = "";
            long uid = -1;
            long rss = 0;
            for (String line : status.split("\n")) {
                if (line.startsWith("Name:")) {
                    name = line.substring("Name:".length()).strip();
                } else if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(firstWord(line.substring("Uid:".length())));
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(firstWord(line.substring("VmRSS:".length()))) * 1024;
                }
            }
            return new ProcessStatus(name, uid, rss);
        }

        private static String firstWord(String text) {
            String stripped = text.strip();
            int end = 0;
            while (end < stripped.length() && !Character.isWhitespace(stripped.charAt(end))) {
                end++;
            }
            return stripped.substring(0, end);
        }
    }
}
