package dev.vigil.agent.collect;

import java.util.Map;

import dev.vigil.agent.collect.Snapshot.SwapMemory;
import dev.vigil.agent.collect.Snapshot.VirtualMemory;

/** /proc/meminfo in bytes, turned into psutil's {@code virtual_memory()} and {@code swap_memory()}. */
record MemInfo(Map<String, Long> bytes) {

    private long get(String key) {
        return bytes.getOrDefault(key, 0L);
    }

    VirtualMemory virtualMemory() {
        long total = get("MemTotal");
        long free = get("MemFree");
        long buffers = get("Buffers");
        long cached = get("Cached") + get("SReclaimable");
        long used = total - free - cached - buffers;
        if (used < 0) {
            used = total - free;
        }
        long available = bytes.containsKey("MemAvailable") ? get("MemAvailable") : free + cached + buffers;
        return new VirtualMemory(total, available, used, free, Percent.of(total - available, total));
    }

    SwapMemory swapMemory() {
        long total = get("SwapTotal");
        long free = get("SwapFree");
        long used = total - free;
        return new SwapMemory(total, used, free, Percent.of(used, total));
    }
}
