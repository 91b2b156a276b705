package io.slmfleet.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;

/**
 * A control plane started from the binaries in {@code KUBEBUILDER_ASSETS}, on loopback only, in a temporary folder:
 * etcd, kube-apiserver (token authentication, RBAC, an audit log of writes, a generated service-account key),
 * and kube-controller-manager and kube-scheduler when the folder has them. Processes are stopped at JVM exit; the folder
 * is deleted unless {@code -De2e.keep=true} (then its path is printed, with every component's log).
 */
public final class LocalControlPlane implements TestCluster {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    private final Path assets;
    private final Path dir;
    private final int minorVersion;
    private final Map<Identity, String> tokens = new EnumMap<>(Identity.class);
    private final String controllerToken = UUID.randomUUID().toString();
    private final String schedulerToken = UUID.randomUUID().toString();
    private final int apiServerPort;
    private final List<Process> processes = new ArrayList<>();
    private final AuditLog auditLog;
    private int etcdPort;
    private Process etcd;
    private Process apiServer;
    private Process controllerManager;
    private Process scheduler;

    private LocalControlPlane(Path assets) throws IOException {
        this.assets = assets;
        this.dir = Files.createTempDirectory("slmfleet-e2e-");
        this.minorVersion = minorVersion(assets.resolve("kube-apiserver"));
        this.apiServerPort = freePort();
        for (Identity identity : Identity.values()) {
            tokens.put(identity, UUID.randomUUID().toString());
        }
        this.auditLog = new AuditLog(dir.resolve("audit.log"));
    }

    static LocalControlPlane start(Path assets) {
        LocalControlPlane plane;
        try {
            plane = new LocalControlPlane(assets);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a control plane from " + assets, e);
        }
        try {
            plane.startAll();
            return plane;
        } catch (IOException e) {
            plane.stop();
            throw new UncheckedIOException("could not start a control plane from " + assets, e);
        } catch (RuntimeException e) {
            // etcd may be up while kube-apiserver failed: nothing of a half-started plane stays behind
            plane.stop();
            throw e;
        }
    }

    private void startAll() throws IOException {
        writeCredentials();
        etcdPort = freePort();
        int peerPort = freePort();
        etcd = launch("etcd", List.of(assets.resolve("etcd").toString(),
                "--name=e2e", "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-cluster=e2e=http://127.0.0.1:" + peerPort,
                "--quota-backend-bytes=4294967296"));
        startApiServer();
        if (Files.isExecutable(assets.resolve("kube-controller-manager"))) {
            controllerManager = launch("kube-controller-manager", List.of(
                    assets.resolve("kube-controller-manager").toString(),
                    "--kubeconfig=" + kubeconfig("controller-manager", controllerToken),
                    "--leader-elect=false",
                    "--bind-address=127.0.0.1", "--secure-port=" + freePort(),
                    "--service-account-private-key-file=" + dir.resolve("sa.key"),
                    "--root-ca-file=" + dir.resolve("certs/apiserver.crt"),
                    "--use-service-account-credentials=false",
                    // the default 20 requests/s would make the controllers, not the operator, the benchmark's bottleneck
                    "--kube-api-qps=300", "--kube-api-burst=600",
                    "--concurrent-deployment-syncs=20", "--concurrent-replicaset-syncs=20", "--concurrent-gc-syncs=20"));
        }
        if (Files.isExecutable(assets.resolve("kube-scheduler"))) {
            Path config = dir.resolve("scheduler.yaml");
            Files.writeString(config, """
                    apiVersion: kubescheduler.config.k8s.io/v1
                    kind: KubeSchedulerConfiguration
                    clientConnection:
                      kubeconfig: %s
                      qps: 300
                      burst: 600
                    leaderElection:
                      leaderElect: false
                    """.formatted(kubeconfig("scheduler", schedulerToken)));
            scheduler = launch("kube-scheduler", List.of(assets.resolve("kube-scheduler").toString(),
                    "--config=" + config, "--bind-address=127.0.0.1", "--secure-port=" + freePort()));
        }
        System.out.printf("[e2e] control plane v1.%d from %s in %s (controller-manager: %s, scheduler: %s)%n",
                minorVersion, assets, dir, controllerManager != null, scheduler != null);
    }

    private void startApiServer() throws IOException {
        List<String> command = new ArrayList<>(List.of(assets.resolve("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiServerPort,
                "--cert-dir=" + dir.resolve("certs"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--allow-privileged=true",
                "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
                "--audit-log-path=" + dir.resolve("audit.log"),
                "--audit-log-format=json",
                "--audit-log-maxsize=0"));
        if (!Files.isExecutable(assets.resolve("kube-controller-manager"))) {
            // nobody would create the namespaces' default service accounts that this admission plugin insists on
            command.add("--disable-admission-plugins=ServiceAccount");
        }
        apiServer = launch("kube-apiserver", command);
        awaitReady();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                .header("Authorization", "Bearer " + tokens.get(Identity.HARNESS)).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!apiServer.isAlive()) {
                throw new IllegalStateException("kube-apiserver exited with " + apiServer.exitValue() + ":\n"
                        + tail(dir.resolve("kube-apiserver.log")));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("kube-apiserver not ready within " + START_TIMEOUT + ": " + last + "\n"
                + tail(dir.resolve("kube-apiserver.log")));
    }

    @Override
    public boolean canRestartApiServer() {
        return true;
    }

    /** Stops kube-apiserver (SIGTERM, as an upgrade would) and starts it again on the same port over the same etcd. */
    @Override
    public synchronized void restartApiServer() {
        apiServer.destroy();
        try {
            apiServer.waitFor();
            processes.remove(apiServer);
            startApiServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Config config(Identity identity) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withOauthToken(tokens.get(identity))
                .withTrustCerts(true)
                .withNamespace("default")
                .withRequestTimeout(30_000)
                .build();
    }

    @Override
    public Map<String, String> operatorProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("quarkus.kubernetes-client.api-server-url", url());
        properties.put("quarkus.kubernetes-client.token", tokens.get(Identity.OPERATOR));
        properties.put("quarkus.kubernetes-client.trust-certs", "true");
        properties.put("quarkus.kubernetes-client.namespace", "default");
        return properties;
    }

    @Override
    public boolean hasControllerManager() {
        return controllerManager != null;
    }

    @Override
    public boolean hasScheduler() {
        return scheduler != null;
    }

    @Override
    public Optional<AuditLog> auditLog() {
        return Optional.of(auditLog);
    }

    @Override
    public String describe() {
        return "a control plane v1." + minorVersion + " started from " + assets + " at " + url();
    }

    public String url() {
        return "https://127.0.0.1:" + apiServerPort;
    }

    /** Every component's log and data live here. */
    public Path directory() {
        return dir;
    }

    synchronized void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (Boolean.getBoolean("e2e.keep")) {
            System.out.println("[e2e] control-plane folder kept: " + dir);
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("[e2e] could not delete " + dir + ": " + e);
        }
    }

    private void writeCredentials() throws IOException {
        KeyPairGenerator generator;
        try {
            generator = KeyPairGenerator.getInstance("RSA");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        generator.initialize(2048);
        KeyPair serviceAccountKey = generator.generateKeyPair();
        Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", serviceAccountKey.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", serviceAccountKey.getPublic().getEncoded()));
        StringBuilder csv = new StringBuilder();
        // every identity is a cluster admin: the tier tests the operator's behaviour, not its RBAC
        tokens.forEach((identity, token) -> csv.append(token).append(',').append(identity.user).append(',')
                .append(identity.user).append(",\"system:masters\"\n"));
        csv.append(controllerToken).append(",system:kube-controller-manager,kcm,\"system:masters\"\n");
        csv.append(schedulerToken).append(",system:kube-scheduler,scheduler,\"system:masters\"\n");
        Files.writeString(dir.resolve("tokens.csv"), csv);
        Files.writeString(dir.resolve("audit-policy.yaml"), AuditLog.POLICY);
    }

    private Path kubeconfig(String name, String token) throws IOException {
        Path file = dir.resolve(name + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: e2e
                    cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                  - name: %s
                    user: {token: "%s"}
                contexts:
                  - name: e2e
                    context: {cluster: e2e, user: %s}
                current-context: e2e
                """.formatted(url(), name, token, name));
        return file;
    }

    private Process launch(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process process = ChildProcesses.start(new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        processes.add(process);
        return process;
    }

    private static int minorVersion(Path apiServer) {
        try {
            Process process = new ProcessBuilder(apiServer.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher matcher = Pattern.compile("v1\\.(\\d+)").matcher(output);
            if (!matcher.find()) {
                throw new IllegalStateException(apiServer + " --version printed no version: " + output);
            }
            return Integer.parseInt(matcher.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The readiness probe of our own loopback API server, whose certificate is self-signed at start. */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            } }, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
