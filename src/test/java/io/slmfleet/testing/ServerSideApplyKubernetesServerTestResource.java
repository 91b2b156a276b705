package io.slmfleet.testing;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;

/**
 * Like {@code @WithKubernetesTestServer(crud = true)}, but the mock API server uses
 * {@link ServerSideApplyCrudDispatcher}, so server-side apply works. (Quarkus' KubernetesServer#before()
 * is final and hard-codes {@code new KubernetesMixedDispatcher(...)}; there is no hook to swap it.)
 * <p>
 * Use: {@code @WithTestResource(ServerSideApplyKubernetesServerTestResource.class)} on a {@code @QuarkusTest};
 * inject the server with {@code @KubernetesTestServer KubernetesMockServer server;} and the app's client with
 * {@code @Inject KubernetesClient client;}.
 */
public class ServerSideApplyKubernetesServerTestResource implements QuarkusTestResourceLifecycleManager {

  private static volatile ServerSideApplyCrudDispatcher dispatcher;

  private KubernetesMockServer server;
  private final Map<String, String> systemProperties = new HashMap<>();

  @Override
  public Map<String, String> start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    dispatcher = new ServerSideApplyCrudDispatcher(responses);
    server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
        dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    String url = server.url("/");

    // fabric8 Config.autoConfigure() (used by Quarkus) reads these as JVM system properties; same set as
    // io.quarkus.test.kubernetes.client.AbstractKubernetesTestResource. Keeps ~/.kube/config out of tests.
    systemProperties.put("kubernetes.master", url);
    systemProperties.put("kubernetes.namespace", "test");
    systemProperties.put("kubernetes.trust.certificates", "true");
    systemProperties.put("kubernetes.auth.tryKubeConfig", "false");
    systemProperties.put("kubernetes.auth.tryServiceAccount", "false");
    systemProperties.put("http2.disable", "true");
    systemProperties.forEach(System::setProperty);

    Map<String, String> config = new HashMap<>(systemProperties);
    config.put("quarkus.kubernetes-client.api-server-url", url);
    config.put("quarkus.kubernetes-client.namespace", "test");
    config.put("quarkus.kubernetes-client.trust-certs", "true");
    return config;
  }

  /** The requests the running mock API server received. */
  public static ApiRequestLog requests() {
    return dispatcher.requests;
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(server,
        new TestInjector.AnnotatedAndMatchesType(KubernetesTestServer.class, KubernetesMockServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.destroy();
      server = null;
    }
    systemProperties.keySet().forEach(System::clearProperty);
  }
}
