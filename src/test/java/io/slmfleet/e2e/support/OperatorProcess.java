package io.slmfleet.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.Config;
import io.slmfleet.e2e.support.TestCluster.Identity;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package}) in a JVM of its own,
 * for what a test cannot do to an operator inside its own JVM: kill it with SIGKILL in the middle of its work, start it
 * again, and measure its resident memory.
 */
public final class OperatorProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern HEAP_USED = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+-]+)$",
            Pattern.MULTILINE);

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts the operator against the cluster, as {@link Identity#OPERATOR}, and waits until it reports ready. */
    public static OperatorProcess start(TestCluster cluster, Path log, List<String> jvmOptions) {
        return start(cluster, log, jvmOptions, Map.of());
    }

    /** The same, with these variables added to the operator's environment (e.g. MALLOC_ARENA_MAX). */
    public static OperatorProcess start(TestCluster cluster, Path log, List<String> jvmOptions,
            Map<String, String> environment) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the e2e tier with mvn -Pe2e verify, which packages first");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        if (cluster instanceof LocalControlPlane) {
            // fabric8's own settings, which Quarkus' client starts from; a cluster of KUBECONFIG is found by itself
            Config config = cluster.config(Identity.OPERATOR);
            command.add("-Dkubernetes.master=" + config.getMasterUrl());
            command.add("-Dkubernetes.auth.token=" + config.getOauthToken());
            command.add("-Dkubernetes.trust.certificates=true");
            command.add("-Dkubernetes.auth.tryKubeConfig=false");
            command.add("-Dkubernetes.auth.tryServiceAccount=false");
            command.add("-Dkubernetes.namespace=default");
        }
        command.add("-jar");
        command.add(JAR.toString());
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = ChildProcesses.start(builder);
            OperatorProcess operator = new OperatorProcess(process, port, log);
            try {
                operator.awaitReady();
            } catch (RuntimeException notReady) {
                operator.kill();
                throw notReady;
            }
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n"
                        + LocalControlPlane.tail(log));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("the operator did not report ready within 60 s:\n" + LocalControlPlane.tail(log));
    }

    /** SIGKILL: no shutdown hook, no last write; whatever it was doing stops half-way. */
    public void kill() {
        ChildProcesses.kill(process);
    }

    public long pid() {
        return process.pid();
    }

    /** Peak resident set size so far (VmHWM), in KiB. */
    public long peakRssKiB() {
        return procStatus("VmHWM");
    }

    public long rssKiB() {
        return procStatus("VmRSS");
    }

    /** Heap in use now (all heap pools), from the operator's own metrics endpoint. */
    public long heapUsedBytes() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher matcher = HEAP_USED.matcher(response.body());
            double used = 0;
            boolean found = false;
            while (matcher.find()) {
                used += Double.parseDouble(matcher.group(1));
                found = true;
            }
            if (!found) {
                throw new IllegalStateException("no heap figures in the operator's metrics (HTTP " + response.statusCode() + ")");
            }
            return (long) used;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException("needs Linux' /proc", e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** SIGTERM: the operator shuts down as in a rolling update. */
    @Override
    public void close() {
        ChildProcesses.stop(process, 60);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
