package dev.vigil.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.vigil.agent.TestSupport;

/**
 * A real dbus-daemon on a private socket: the system bus of a test. Without dbus-daemon the test is skipped
 * on a developer machine and fails in CI ({@link TestSupport#requireProgram}).
 */
public final class DbusDaemon implements AutoCloseable {
    private final Process process;
    private final String address;

    private DbusDaemon(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts a bus whose socket lives in {@code dir}; it lets every local user own names and call anything. */
    public static DbusDaemon start(Path dir) throws IOException {
        return launch(TestSupport.requireProgram("dbus-daemon", "dbus").toString(), dir);
    }

    /** Starts {@code program} (a dbus-daemon) without a test's checks: the remediation benchmark uses it too. */
    public static DbusDaemon launch(String program, Path dir) throws IOException {
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_type="method_call"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """.formatted(dir.resolve("system_bus_socket")));
        Process process = new ProcessBuilder(program, "--config-file=" + config, "--nofork",
                "--nopidfile", "--print-address=1").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String address = out.readLine();
        if (address == null) {
            process.destroyForcibly();
            throw new IOException("dbus-daemon did not start");
        }
        return new DbusDaemon(process, address.strip());
    }

    /** The address to connect to, as {@code DBUS_SYSTEM_BUS_ADDRESS} would give it. */
    public String address() {
        return address;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
