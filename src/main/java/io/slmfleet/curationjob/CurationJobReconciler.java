package io.slmfleet.curationjob;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobSpec;
import io.slmfleet.api.v1alpha1.CurationJobStatus;
import io.slmfleet.common.ApiErrors;
import io.slmfleet.common.ApiUse;
import io.slmfleet.common.ChildApplier;
import io.slmfleet.common.ChildInformers;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.EventRecorder;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.StatusUpdates;
import io.slmfleet.config.OperatorConfig;

/**
 * Runs a CurationJob as one batch/v1 Job of the operator's image and derives its status from the Job's conditions and
 * the summary its pod leaves. No Job starts before both claims exist; a finished run never runs again; a Job deleted
 * before it finished is created again.
 */
@ControllerConfiguration(name = CurationJobReconciler.NAME, fieldManager = ChildApplier.FIELD_MANAGER)
public class CurationJobReconciler implements Reconciler<CurationJob> {

    public static final String NAME = "curationjob";

    /** Kinds this controller lists and watches (informers on the operator's children label selector). */
    static final List<Class<? extends HasMetadata>> WATCHED_KINDS = List.of(Job.class, Pod.class);

    /**
     * Creates its Job with server-side apply (never updated), deletes nothing, watches its Job and pod, reads its claims
     * by name before it creates the Job, and lists the Job controller's FailedCreate Events of a Job that has no pod.
     */
    public static final ApiUse API_USE = new ApiUse(CurationJob.class, List.of(Job.class), List.of(), WATCHED_KINDS,
            List.of(PersistentVolumeClaim.class), List.of(Event.class));

    private static final Logger LOG = Logger.getLogger(CurationJobReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final CurationSettings settings;
    private final Duration missingReferenceRecheck;

    public CurationJobReconciler(KubernetesClient client, EventRecorder events, Clock clock, OperatorConfig config) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.settings = CurationSettings.from(config);
        this.missingReferenceRecheck = config.missingReferenceRecheck();
    }

    @Override
    public List<EventSource<?, CurationJob>> prepareEventSources(EventSourceContext<CurationJob> context) {
        List<EventSource<?, CurationJob>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : WATCHED_KINDS) {
            sources.add(ChildInformers.childrenOf(kind, CurationJob.class, context));
        }
        return sources;
    }

    @Override
    public UpdateControl<CurationJob> reconcile(CurationJob curation, Context<CurationJob> context) {
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream().toList();
        if (CurationStatusLogic.isFinished(curation.getStatus())) {
            return patchStatusIfChanged(curation, context, CurationStatusLogic.derive(curation, Observed.finished(pods), clock));
        }
        Optional<Job> current = find(curation, context);
        if (current.isEmpty()) {
            Optional<Observed.Blocker> blocker = missingClaim(curation);
            if (blocker.isPresent()) {
                return patchStatusIfChanged(curation, context, CurationStatusLogic.derive(curation, Observed.blocked(blocker.get()),
                        clock)).rescheduleAfter(missingReferenceRecheck);
            }
            current = Optional.of(create(curation));
        }
        boolean awaitingPod = pods.isEmpty() && Jobs.awaitsPod(current.get());
        Observed observed = new Observed(current, pods, Optional.empty(),
                awaitingPod ? Jobs.podCreationFailure(client, current.get()) : Optional.empty());
        UpdateControl<CurationJob> control = patchStatusIfChanged(curation, context,
                CurationStatusLogic.derive(curation, observed, clock));
        // A refused pod changes nothing the informers see (the Job controller only retries and records Events).
        return awaitingPod ? control.rescheduleAfter(missingReferenceRecheck) : control;
    }

    /** The Job from the informer cache, or from the API server when the cache has not seen it yet. */
    private Optional<Job> find(CurationJob curation, Context<CurationJob> context) {
        Optional<Job> cached = context.getSecondaryResource(Job.class);
        return cached.isPresent() ? cached : Optional.ofNullable(client.batch().v1().jobs()
                .inNamespace(curation.getMetadata().getNamespace()).withName(CurationLayout.jobName(curation)).get());
    }

    /** Creates the Job: server-side apply of an object that does not exist yet. */
    private Job create(CurationJob curation) {
        Job desired = CurationPodJob.desired(curation, settings);
        Job created = client.resource(desired).fieldManager(ChildApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
        String name = desired.getMetadata().getName();
        CurationJobStatus previous = curation.getStatus();
        if (previous == null || previous.jobName == null) {
            events.normal(curation, "JobCreated", "created Job " + name);
        } else {
            events.warning(curation, "JobRecreated", "Job " + name + " was deleted before it finished; created it again");
        }
        return created;
    }

    /**
     * A claim the Job would mount that does not exist: its pod would hang in ContainerCreating with no clear reason.
     */
    private Optional<Observed.Blocker> missingClaim(CurationJob curation) {
        CurationJobSpec spec = curation.getSpec();
        String namespace = curation.getMetadata().getNamespace();
        if (client.persistentVolumeClaims().inNamespace(namespace).withName(spec.source.volume.claimName).get() == null) {
            return Optional.of(new Observed.Blocker("SourceNotFound", "usage claim " + spec.source.volume.claimName
                    + " not found"));
        }
        if (client.persistentVolumeClaims().inNamespace(namespace).withName(spec.output.volume.claimName).get() == null) {
            return Optional.of(new Observed.Blocker("OutputVolumeNotFound", "output claim " + spec.output.volume.claimName
                    + " not found"));
        }
        return Optional.empty();
    }

    @Override
    public ErrorStatusUpdateControl<CurationJob> updateErrorStatus(CurationJob curation, Context<CurationJob> context,
            Exception e) {
        LOG.warnf("Reconciling CurationJob %s/%s failed: %s", curation.getMetadata().getNamespace(),
                curation.getMetadata().getName(), e.getMessage());
        CurationJobStatus previous = curation.getStatus() == null ? new CurationJobStatus() : curation.getStatus();
        if (CurationStatusLogic.isFinished(previous)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        CurationJobStatus status = JSON.convertValue(previous, CurationJobStatus.class);
        status.observedGeneration = curation.getMetadata().getGeneration();
        status.phase = previous.phase == null ? CurationJobStatus.Phase.Pending : previous.phase;
        status.conditions = new Conditions(previous.conditions, curation.getMetadata().getGeneration(), clock)
                .set(CurationStatusLogic.READY, false, "ReconcileError", ApiErrors.describe(e))
                .build();
        return StatusUpdates.patchError(curation, status, context);
    }

    private UpdateControl<CurationJob> patchStatusIfChanged(CurationJob curation, Context<CurationJob> context,
            CurationJobStatus status) {
        return StatusUpdates.patchIfChanged(curation, status, context, (previous, next) -> recordTransition(curation, previous, next));
    }

    /** One Event per change of the Ready reason: a steady state records nothing. */
    private void recordTransition(CurationJob curation, CurationJobStatus previous, CurationJobStatus next) {
        Optional<Condition> before = previous == null ? Optional.empty()
                : Conditions.find(previous.conditions, CurationStatusLogic.READY);
        Optional<Condition> after = Conditions.find(next.conditions, CurationStatusLogic.READY);
        if (after.isEmpty() || before.map(b -> b.getReason().equals(after.get().getReason())).orElse(false)) {
            return;
        }
        String reason = after.get().getReason();
        if (next.phase == CurationJobStatus.Phase.Failed || CurationStatusLogic.PROBLEMS.contains(reason)) {
            events.warning(curation, reason, after.get().getMessage());
        } else {
            events.normal(curation, reason, after.get().getMessage());
        }
    }
}
