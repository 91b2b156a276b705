package io.slmfleet.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Records Kubernetes Events (core/v1) on a custom resource, for transitions only: reconcilers call it when a condition
 * changes status, so a steady state emits nothing. Losing an Event never fails a reconcile.
 */
@ApplicationScoped
public class EventRecorder {

    public static final String COMPONENT = "slm-fleet-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata resource, String reason, String message) {
        record(resource, "Normal", reason, message);
    }

    public void warning(HasMetadata resource, String reason, String message) {
        record(resource, "Warning", reason, message);
    }

    /**
     * An Event per condition whose status or reason changed (a condition first appearing in its good state is no
     * news): Normal when it is good or an expected wait, Warning otherwise.
     */
    public void transitions(HasMetadata resource, List<Condition> before, List<Condition> after, Predicate<Condition> isGood,
            Set<String> expectedWaits) {
        for (Condition condition : after) {
            boolean good = isGood.test(condition);
            boolean changed = Conditions.find(before, condition.getType())
                    .map(old -> !old.getStatus().equals(condition.getStatus()) || !old.getReason().equals(condition.getReason()))
                    .orElse(!good);
            if (!changed) {
                continue;
            }
            if (good || expectedWaits.contains(condition.getReason())) {
                normal(resource, condition.getReason(), condition.getMessage());
            } else {
                warning(resource, condition.getReason(), condition.getMessage());
            }
        }
    }

    private void record(HasMetadata resource, String type, String reason, String message) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = resource.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                        .withName(resource.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                        .withNamespace(namespace)
                    .endMetadata()
                    .withNewInvolvedObject()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(resource.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(resource.getMetadata().getUid())
                        .withResourceVersion(resource.getMetadata().getResourceVersion())
                    .endInvolvedObject()
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withCount(1)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withNewSource()
                        .withComponent(COMPONENT)
                    .endSource()
                    .withReportingComponent(COMPONENT)
                    .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not record event %s on %s %s/%s: %s", reason, resource.getKind().toLowerCase(Locale.ROOT),
                    namespace, resource.getMetadata().getName(), e.getMessage());
        }
    }
}
