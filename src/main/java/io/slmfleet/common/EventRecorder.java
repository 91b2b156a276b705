package io.slmfleet.common;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Records Kubernetes Events (core/v1) on a custom resource, for transitions only: reconcilers call it when a condition
 * changes status, so a steady state emits nothing. Losing an Event never fails a reconcile.
 * <p>
 * A repeat is counted, not recorded again, as client-go's event correlator does (k8s.io/client-go v0.33,
 * tools/record/events_cache.go: {@code eventLogger.eventObserve} keys an Event by source, involved object, type, reason
 * and message in an LRU of {@code maxLruCacheEntries} = 4096, and a repeat patches the existing Event's count and
 * lastTimestamp; tools/record/event.go {@code recordEvent} creates the Event anew when that patch answers NotFound; here it starts at count 1).
 * Here the key is the involved object's uid, type, reason and message; a repeat within {@link #REPEAT_WINDOW} of the
 * last one (client-go's aggregation interval, {@code defaultAggregateIntervalInSeconds}) patches count+1 and
 * lastTimestamp, a later one is a new Event, and so is a repeat whose Event is gone (404: expired after the API
 * server's event TTL, 1 h by default). The cache is per operator process: after a restart a repeat is a new Event.
 */
@ApplicationScoped
public class EventRecorder {

    public static final String COMPONENT = "slm-fleet-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    /** How long after its last occurrence a repeat is still counted on the same Event. */
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
    /** Keys remembered, the least recently recorded dropped first (client-go's maxLruCacheEntries). */
    static final int MAX_REMEMBERED = 4096;

    private final KubernetesClient client;
    private final Clock clock;
    /** Access order, bounded: an LRU. Guarded by itself. */
    private final Map<Key, Recorded> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Recorded> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

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
        Instant now = Instant.now(clock);
        String namespace = resource.getMetadata().getNamespace();
        Key key = new Key(resource.getMetadata().getUid(), type, reason, message);
        try {
            Recorded last;
            synchronized (recent) {
                last = recent.get(key);
            }
            if (last != null && Duration.between(last.lastSeen(), now).compareTo(REPEAT_WINDOW) <= 0) {
                Recorded counted = new Recorded(last.name(), last.count() + 1, now);
                if (countAgain(namespace, counted)) {
                    remember(key, counted);
                    return;
                }
            }
            String name = create(resource, type, reason, message, now);
            remember(key, new Recorded(name, 1, now));
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not record event %s on %s %s/%s: %s", reason, resource.getKind().toLowerCase(Locale.ROOT),
                    namespace, resource.getMetadata().getName(), e.getMessage());
        }
    }

    /** Counts a repeat on the Event recorded before; false when that Event is gone (expired, deleted). */
    private boolean countAgain(String namespace, Recorded counted) {
        try {
            client.v1().events().inNamespace(namespace).withName(counted.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"count\":" + counted.count() + ",\"lastTimestamp\":\"" + timestamp(counted.lastSeen()) + "\"}");
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private String create(HasMetadata resource, String type, String reason, String message, Instant now) {
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8);
        client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata()
                    .withName(name)
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
                .withFirstTimestamp(timestamp(now))
                .withLastTimestamp(timestamp(now))
                .withNewSource()
                    .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .build())
                .create();
        return name;
    }

    private void remember(Key key, Recorded recorded) {
        synchronized (recent) {
            recent.put(key, recorded);
        }
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** What makes two Events the same one (the source is always this operator). */
    private record Key(String uid, String type, String reason, String message) {
    }

    /** The Event recorded for a key: its name, how often it was seen, when last. */
    private record Recorded(String name, int count, Instant lastSeen) {
    }
}
