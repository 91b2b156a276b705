package io.slmfleet.e2e.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.slmfleet.common.ChildApplier;
import io.slmfleet.common.EventRecorder;

/**
 * Counts the operator's writes in one namespace from a moment on. On a control plane started here the audit log
 * attributes every write request to its user exactly. On another cluster, watches stand in: every change of a watched
 * kind that the operator's field manager made (its managedFields entry is newer than the start), and every Event it
 * reported; a request that changed nothing leaves no trace there, so this count is a lower bound.
 */
public final class OperatorWrites implements AutoCloseable {

    private final String namespace;
    private final AuditLog audit;
    private final long auditMark;
    private final Instant start;
    private final List<String> watched = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new ArrayList<>();

    private OperatorWrites(KubernetesClient client, TestCluster cluster, String namespace,
            List<Class<? extends HasMetadata>> kinds) {
        this.namespace = namespace;
        this.audit = cluster.auditLog().orElse(null);
        this.auditMark = audit == null ? 0 : audit.mark();
        this.start = Instant.now();
        if (audit == null) {
            for (Class<? extends HasMetadata> kind : kinds) {
                watches.add(client.resources(kind).inNamespace(namespace).watch(new Recorder<>()));
            }
            watches.add(client.v1().events().inNamespace(namespace).watch(new Recorder<>()));
        }
    }

    /** Starts counting now; {@code kinds} are watched where there is no audit log (Events always are). */
    public static OperatorWrites from(KubernetesClient client, TestCluster cluster, String namespace,
            List<Class<? extends HasMetadata>> kinds) {
        return new OperatorWrites(client, cluster, namespace, kinds);
    }

    /** The operator's writes in the namespace since the start, described one per line. */
    public List<String> list() {
        if (audit != null) {
            return audit.writesSince(auditMark, TestCluster.Identity.OPERATOR.user).stream()
                    .filter(write -> namespace.equals(write.namespace()))
                    .map(AuditLog.Write::toString)
                    .toList();
        }
        return List.copyOf(watched);
    }

    public String method() {
        return audit != null ? "audit log (every write request)" : "watches (writes that changed an object)";
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }

    private final class Recorder<T extends HasMetadata> implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T object) {
            if (object instanceof Event event) {
                if (EventRecorder.COMPONENT.equals(event.getReportingComponent())) {
                    watched.add(action + " Event " + event.getReason() + " on " + event.getInvolvedObject().getName());
                }
                return;
            }
            for (ManagedFieldsEntry entry : object.getMetadata().getManagedFields()) {
                // managedFields times have whole seconds: start counting a little after convergence
                if (ChildApplier.FIELD_MANAGER.equals(entry.getManager()) && entry.getTime() != null
                        && !Instant.parse(entry.getTime()).isBefore(start.truncatedTo(ChronoUnit.SECONDS))) {
                    watched.add(action + " " + object.getKind() + " " + object.getMetadata().getName() + " ("
                            + entry.getOperation() + (entry.getSubresource() == null ? "" : " " + entry.getSubresource())
                            + ")");
                }
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
