package io.slmfleet.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A test JVM that ends without stopping what it started (a test failed before its cleanup) takes its children with
 * it. Runs in the default build: the e2e tier's own processes cannot be started there, a {@code sleep} can.
 */
class ChildProcessesTest {

    /** Plays a test JVM: starts a long sleep through {@link ChildProcesses}, prints its pid, exits as a failure would. */
    public static final class TestJvmThatFails {
        public static void main(String[] args) throws Exception {
            Process sleep = ChildProcesses.start(new ProcessBuilder("sleep", "300"));
            System.out.println(sleep.pid());
            System.out.flush();
            System.exit(1);
        }
    }

    @Test
    void aProcessLeftRunningStopsWhenTheJvmThatStartedItExits() throws Exception {
        Process testJvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TestJvmThatFails.class.getName())
                .redirectErrorStream(true).start();
        String output;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(testJvm.getInputStream(), StandardCharsets.UTF_8))) {
            output = reader.lines().reduce("", (all, line) -> all + line + "\n");
        }
        assertThat(testJvm.waitFor(60, TimeUnit.SECONDS)).as("the test JVM exited").isTrue();
        long sleepPid = Long.parseLong(output.lines().findFirst().orElseThrow().trim());

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Optional<ProcessHandle> sleep = ProcessHandle.of(sleepPid);
        while (sleep.isPresent() && sleep.get().isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        boolean stillRunning = sleep.isPresent() && sleep.get().isAlive();
        sleep.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(stillRunning).as("the sleep (pid %d) outlived the JVM that started it; its output:%n%s", sleepPid, output)
                .isFalse();
        assertThat(output).contains("stopping a process the test left running: pid " + sleepPid);
    }
}
