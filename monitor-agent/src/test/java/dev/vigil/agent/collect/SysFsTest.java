package dev.vigil.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.vigil.agent.collect.Snapshot.Temperature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A sysfs laid out as the kernel does, read the way psutil reads it. */
class SysFsTest {
    @TempDir
    Path sys;

    private void write(String relative, String content) throws IOException {
        Path file = sys.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n");
    }

    @Test
    void hwmonSensorsAreGroupedByChipNameWithLabelHighAndCritical() throws IOException {
        write("class/hwmon/hwmon0/name", "coretemp");
        write("class/hwmon/hwmon0/temp1_input", "45000");
        write("class/hwmon/hwmon0/temp1_label", "Package id 0");
        write("class/hwmon/hwmon0/temp1_max", "80000");
        write("class/hwmon/hwmon0/temp1_crit", "100000");
        write("class/hwmon/hwmon0/temp2_input", "43500");
        write("class/hwmon/hwmon1/device/name", "nvme");
        write("class/hwmon/hwmon1/device/temp1_input", "38850");
        write("class/hwmon/hwmon1/device/temp1_label", "Composite");
        write("class/hwmon/hwmon2/name", "broken");
        write("class/hwmon/hwmon2/temp1_input", "not a number");

        Map<String, List<Temperature>> temperatures = new SysFs(sys).temperatures();

        assertEquals(Map.of(
                "coretemp", List.of(new Temperature("Package id 0", 45.0, 80.0, 100.0),
                        new Temperature("", 43.5, null, null)),
                "nvme", List.of(new Temperature("Composite", 38.85, null, null))), temperatures);
    }

    @Test
    void thermalZonesStandInWhenThereIsNoHwmonSensor() throws IOException {
        write("class/thermal/thermal_zone0/type", "acpitz");
        write("class/thermal/thermal_zone0/temp", "27800");
        write("class/thermal/thermal_zone0/trip_point_0_type", "critical");
        write("class/thermal/thermal_zone0/trip_point_0_temp", "105000");
        write("class/thermal/thermal_zone0/trip_point_1_type", "high");
        write("class/thermal/thermal_zone0/trip_point_1_temp", "90000");

        assertEquals(Map.of("acpitz", List.of(new Temperature("", 27.8, 90.0, 105.0))),
                new SysFs(sys).temperatures());
    }

    @Test
    void noSensorsAtAllIsAnEmptyMap() throws IOException {
        assertEquals(Map.of(), new SysFs(sys).temperatures());
    }

    @Test
    void physicalCoresAreTheDistinctCoreCpuLists() throws IOException {
        write("devices/system/cpu/cpu0/topology/core_cpus_list", "0,2");
        write("devices/system/cpu/cpu1/topology/core_cpus_list", "1,3");
        write("devices/system/cpu/cpu2/topology/core_cpus_list", "0,2");
        write("devices/system/cpu/cpu3/topology/core_cpus_list", "1,3");
        write("devices/system/cpu/cpufreq/policy0", "");
        assertEquals(2, new SysFs(sys).physicalCoreCount());
    }

    @Test
    void olderKernelsTellPhysicalCoresByThreadSiblings() throws IOException {
        write("devices/system/cpu/cpu0/topology/thread_siblings_list", "0-1");
        write("devices/system/cpu/cpu1/topology/thread_siblings_list", "0-1");
        assertEquals(1, new SysFs(sys).physicalCoreCount());
    }
}
