package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong values fail `helm install`/`helm template` with a message naming the value, before anything is created. */
class HelmValuesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            replicaCount: two                                    | replicaCount: Invalid type. Expected: integer, given: string
            replicaCount: 0                                      | replicaCount: Must be greater than or equal to 1
            replicas: 2                                          | Additional property replicas is not allowed
            watch: {mode: someNamespaces}                        | watch.mode: watch.mode must be one of the following: "allNamespaces", "namespaces"
            watch: {mode: namespaces, namespaces: [Team_A]}      | watch.namespaces.0: Does not match pattern
            watch: {mode: namespaces}                            | watch.mode is "namespaces" but watch.namespaces is empty: list the namespaces to watch
            watch: {namespaces: [team-a]}                        | watch.namespaces is set but watch.mode is "allNamespaces"
            'replicaCount: 2\nleaderElection: {mode: never}'     | replicaCount > 1 needs leader election
            leaderElection: {mode: sometimes}                    | leaderElection.mode: leaderElection.mode must be one of the following: "auto", "always", "never"
            resources: {limits: {memory: -512Mi}}                | resources.limits.memory: Does not match pattern
            resources: {requests: {cpu: -1}}                     | resources.requests.cpu: Must be greater than or equal to 0
            resources: {requests: {cpu: lots}}                   | resources.requests.cpu: Does not match pattern
            image: {pullPolicy: Sometimes}                       | image.pullPolicy: image.pullPolicy must be one of the following: "Always", "IfNotPresent", "Never"
            image: {digest: latest}                              | image.digest: Does not match pattern
            metrics: {serviceMonitor: {enabled: 'yes'}}          | metrics.serviceMonitor.enabled: Invalid type. Expected: boolean, given: string
            metrics: {serviceMonitor: {interval: 30}}            | metrics.serviceMonitor.interval: Invalid type. Expected: string, given: integer
            logLevel: VERBOSE                                    | logLevel: logLevel must be one of the following
            jvmOptions: [-Xss512k]                               | jvmOptions: Invalid type. Expected: string, given: array
            reconcilerThreads: 0                                 | reconcilerThreads: Must be greater than or equal to 1
            reconcilerThreads: many                              | reconcilerThreads: Invalid type. Expected: integer, given: string
            serviceAccount: {create: false}                      | serviceAccount.name is required when serviceAccount.create is false
            economics: {gpuPricePerHour: {NVIDIA-L4: -1}}        | economics.gpuPricePerHour.NVIDIA-L4: Must be greater than or equal to 0
            economics: {gpuPricePerHour: {NVIDIA-L4: cheap}}     | economics.gpuPricePerHour.NVIDIA-L4: Invalid type. Expected: number, given: string
            economics: {migPricePerHour: {mig-1g.10gb: 0.5}}     | economics.migPricePerHour: Property name of "mig-1g.10gb" does not match
            economics: {window: 1d}                              | economics.window: Does not match pattern
            """)
    void invalidValuesAreRefusedWithAMessageNamingThem(String values, String message) {
        assertThatThrownBy(() -> HelmChart.templateYaml(values.replace("\\n", "\n")))
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            resources: {requests: {cpu: 0.5, memory: 1Gi}, limits: {cpu: 2, memory: 2G}}
            jvmOptions: -XX:+UseG1GC -XX:MaxRAMPercentage=60
            reconcilerThreads: 4
            'replicaCount: 3\nleaderElection: {mode: always}'
            watch: {mode: namespaces, namespaces: [team-a, ml-prod-2]}
            image: {digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}
            global: {imageRegistry: registry.example.com}
            economics: {window: 15m, gpuPricePerHour: {NVIDIA-L4: 0.8}, migPricePerHour: {1g.10gb: 0.45, 3g.40gb.me: 1.4}}
            """)
    void validValuesAreAccepted(String values) {
        assertThat(HelmChart.render(values.replace("\\n", "\n")).objects()).isNotEmpty();
    }
}
