package dev.vigil.rules.model;

/**
 * One of the processes a sample lists (the agent reports the top ones by CPU and by memory).
 *
 * @param createTime seconds since the epoch, as psutil has it: with the PID it tells this process from a later
 *                   one that reuses the PID
 */
public record Process(long pid, String name, String username, double cpuPercent, double memoryPercent,
                      double createTime) {
}
