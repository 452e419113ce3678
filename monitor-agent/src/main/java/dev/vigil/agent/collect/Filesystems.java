package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import dev.vigil.agent.collect.Snapshot.DiskUsage;

/**
 * psutil's {@code disk_partitions()} + {@code disk_usage()}: real filesystems only (types backed by a device,
 * as /proc/filesystems says), narrowed by the configured include/exclude settings.
 *
 * @param includeTypes       when not empty, exactly these types are reported instead of the device-backed ones
 * @param excludeTypes       never reported (squashfs by default: snap images are always 100% full)
 * @param excludeMountpoints mountpoints matching this are never reported, unless named in {@code includeMountpoints}
 * @param includeMountpoints when not empty, only these mountpoints are reported (still only of the wanted types);
 *                           naming one is stronger than the exclude pattern
 * @param rootfs             where the host's root is mounted ({@code /} unless the agent runs in a container)
 */
public record Filesystems(Set<String> includeTypes, Set<String> excludeTypes, Pattern excludeMountpoints,
                          Set<String> includeMountpoints, Path rootfs) {
    private static final Logger LOG = Logger.getLogger(Filesystems.class.getName());
    private static final Set<String> UNREADABLE_REPORTED = ConcurrentHashMap.newKeySet();

    boolean reports(Mount mount, Set<String> deviceTypes) {
        boolean typeWanted = includeTypes.isEmpty()
                ? deviceTypes.contains(mount.fstype())
                : includeTypes.contains(mount.fstype());
        boolean mountpointWanted = includeMountpoints.isEmpty()
                ? !excludeMountpoints.matcher(mount.mountpoint()).find()
                : includeMountpoints.contains(mount.mountpoint());
        return typeWanted && !excludeTypes.contains(mount.fstype()) && mountpointWanted;
    }

    /** The usage of every reported mount; a later mount on the same mountpoint hides the earlier one. */
    public List<DiskUsage> usage(List<Mount> mounts, Set<String> deviceTypes) {
        Map<String, Mount> visible = new LinkedHashMap<>();
        for (Mount mount : mounts) {
            if (reports(mount, deviceTypes)) {
                visible.remove(mount.mountpoint());
                visible.put(mount.mountpoint(), mount);
            }
        }
        List<DiskUsage> result = new ArrayList<>(visible.size());
        for (Mount mount : visible.values()) {
            Path path = rootfs.resolve(mount.mountpoint().substring(1));
            try {
                result.add(usage(mount, Files.getFileStore(path)));
                UNREADABLE_REPORTED.remove(mount.mountpoint());
            } catch (IOException | SecurityException e) {
                if (UNREADABLE_REPORTED.add(mount.mountpoint())) {
                    LOG.log(Level.INFO, "Filesystem " + mount.mountpoint() + " is not reported: " + e);
                }
            }
        }
        return result;
    }

    /** psutil: used = total − f_bfree; percent = used / (used + f_bavail) — the space users can still have. */
    static DiskUsage usage(Mount mount, FileStore store) throws IOException {
        long total = store.getTotalSpace();
        long availableToUsers = store.getUsableSpace();
        long used = total - store.getUnallocatedSpace();
        return new DiskUsage(mount.mountpoint(), mount.device(), mount.fstype(), total, used, availableToUsers,
                Percent.of(used, used + availableToUsers));
    }
}
