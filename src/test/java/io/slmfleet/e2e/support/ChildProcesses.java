package io.slmfleet.e2e.support;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the e2e tier starts (etcd, the control plane's components, the packaged operator) is started here, so
 * that it is stopped in every outcome: by its owner when the test ends, and otherwise when the test JVM exits, whether
 * the test passed, failed or threw half-way (a failed {@code OperatorRestartE2eTest} once left its operator running
 * an hour after the test JVM had gone). A test JVM killed with SIGKILL runs no shutdown hook; Java cannot ask the
 * kernel for a parent-death signal, so that one case still leaves its children behind.
 */
public final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "e2e-child-processes-stop"));
    }

    private ChildProcesses() {
    }

    /** Starts the process and stops it when the JVM exits, unless {@link #stop} did so before. */
    public static Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return process;
    }

    /** SIGTERM, then SIGKILL after the grace period; the process and anything it started. */
    public static void stop(Process process, long graceSeconds) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
    }

    /** SIGKILL: no shutdown hook, no last write. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopAll() {
        for (Process process : Set.copyOf(RUNNING)) {
            System.out.println("[e2e] stopping a process the test left running: pid " + process.pid() + " "
                    + process.info().command().orElse("?"));
            stop(process, 10);
        }
    }
}
