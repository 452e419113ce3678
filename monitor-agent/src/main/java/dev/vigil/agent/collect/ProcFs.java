package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    private List<String> lines(String relative) throws IOException {
        return Files.readAllLines(root.resolve(relative));
    }

    private static String[] fields(String line) {
        return line.trim().split("\\s+");
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
}
