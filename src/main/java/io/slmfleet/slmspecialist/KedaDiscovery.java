package io.slmfleet.slmspecialist;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether the API server serves KEDA's ScaledObject, asked through API discovery (GET /apis/keda.sh/v1alpha1, which
 * needs no RBAC, unlike reading CRDs) and kept for a short while: one request per interval for all specialists, and
 * KEDA installed or removed later is seen within that interval, without a restart.
 */
final class KedaDiscovery {

    private static final Logger LOG = Logger.getLogger(KedaDiscovery.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration interval;
    private Instant askedAt;
    private boolean served;

    KedaDiscovery(KubernetesClient client, Clock clock, Duration interval) {
        this.client = client;
        this.clock = clock;
        this.interval = interval;
    }

    synchronized boolean scaledObjectServed() {
        Instant now = clock.instant();
        if (askedAt == null || !now.isBefore(askedAt.plus(interval))) {
            ask().ifPresent(answer -> served = answer);
            askedAt = now;
        }
        return served;
    }

    /** Empty when discovery failed: the last answer stands, so a blip never switches engines. */
    private Optional<Boolean> ask() {
        try {
            APIResourceList resources = client.getApiResources(ScaledObject.API_VERSION);
            return Optional.of(resources != null && resources.getResources().stream()
                    .anyMatch(resource -> ScaledObject.KIND.equals(resource.getKind())));
        } catch (KubernetesClientException e) {
            LOG.warnf("API discovery of %s failed, keeping the last answer: %s", ScaledObject.API_VERSION, e.getMessage());
            return Optional.empty();
        }
    }
}
