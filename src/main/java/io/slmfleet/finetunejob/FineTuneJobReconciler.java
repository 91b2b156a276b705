package io.slmfleet.finetunejob;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus;
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
 * Runs a FineTuneJob as GPU batch/v1 Jobs, one per attempt, with its training configuration in a ConfigMap, and
 * derives its status from the Job's conditions and the training pod's termination message. A finished run never runs
 * again; a Job deleted before it finished is replaced by the next attempt.
 */
@ControllerConfiguration(name = FineTuneJobReconciler.NAME, fieldManager = ChildApplier.FIELD_MANAGER)
public class FineTuneJobReconciler implements Reconciler<FineTuneJob> {

    public static final String NAME = "finetunejob";

    /** Kinds this controller lists and watches (informers on the operator's children label selector). */
    static final List<Class<? extends HasMetadata>> WATCHED_KINDS = List.of(Job.class, ConfigMap.class, Pod.class);

    /**
     * Writes its ConfigMap and Jobs with server-side apply (a Job only ever created, never updated), deletes nothing,
     * watches its children and training pods, reads its inputs by name before it creates a Job (Secrets are never
     * listed or watched), and lists the Job controller's FailedCreate Events of a Job that has no pod.
     */
    public static final ApiUse API_USE = new ApiUse(FineTuneJob.class, List.of(ConfigMap.class, Job.class), List.of(),
            watchedKinds(), List.of(PersistentVolumeClaim.class, ConfigMap.class, Secret.class), List.of(Event.class));

    private static final Logger LOG = Logger.getLogger(FineTuneJobReconciler.class);
    private static final String OUTPUT_INDEX = "output";
    private static final String CURATION_JOB_INDEX = "curationJob";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ChildApplier applier;
    private final EventRecorder events;
    private final Clock clock;
    private final FineTuneSettings settings;
    private final Duration missingReferenceRecheck;
    private final Inputs inputs;

    public FineTuneJobReconciler(KubernetesClient client, ChildApplier applier, EventRecorder events, Clock clock,
            OperatorConfig config) {
        this.client = client;
        this.applier = applier;
        this.events = events;
        this.clock = clock;
        this.settings = FineTuneSettings.from(config);
        this.missingReferenceRecheck = config.missingReferenceRecheck();
        this.inputs = new Inputs(client);
    }

    @Override
    public List<EventSource<?, FineTuneJob>> prepareEventSources(EventSourceContext<FineTuneJob> context) {
        // Adapter names are unique per claim in a namespace: index the runs by their output.
        context.getPrimaryCache().addIndexer(OUTPUT_INDEX, job -> List.of(AdapterNames.outputKey(job)));
        List<EventSource<?, FineTuneJob>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : WATCHED_KINDS) {
            sources.add(ChildInformers.childrenOf(kind, FineTuneJob.class, context));
        }
        // A CurationJob is referenced by name from dataset.curationJob: its success starts the training Job.
        context.getPrimaryCache().addIndexer(CURATION_JOB_INDEX, job -> CuratedDataset.isCurated(job)
                ? List.of(job.getMetadata().getNamespace() + "/" + job.getSpec().dataset.curationJob) : List.of());
        sources.add(ChildInformers.trimmed(InformerEventSourceConfiguration.from(CurationJob.class, FineTuneJob.class)
                .withName(CurationJob.class.getSimpleName())
                .withSecondaryToPrimaryMapper(curation -> context.getPrimaryCache()
                        .byIndex(CURATION_JOB_INDEX, curation.getMetadata().getNamespace() + "/"
                                + curation.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((FineTuneJob job) -> CuratedDataset.isCurated(job)
                        ? Set.of(new ResourceID(job.getSpec().dataset.curationJob, job.getMetadata().getNamespace()))
                        : Set.of()), context));
        return sources;
    }


    @Override
    public UpdateControl<FineTuneJob> reconcile(FineTuneJob job, Context<FineTuneJob> context) {
        FineTuneJobStatus previous = job.getStatus();
        int recorded = previous == null || previous.attempts == null ? 0 : previous.attempts;
        if (FineTuneStatusLogic.isFinished(previous)) {
            Observed observed = Observed.withoutJob(recorded, previous.jobName, pods(context, recorded), Optional.empty());
            return patchStatusIfChanged(job, context, FineTuneStatusLogic.derive(job, observed, clock));
        }

        Optional<String> unsupported = FineTuneChildren.unsupported(job, settings);
        if (unsupported.isPresent()) {
            Observed observed = Observed.withoutJob(recorded, previous == null ? null : previous.jobName, List.of(),
                    Optional.of(new Observed.Blocker("UnsupportedByPreset", unsupported.get(), true)));
            return patchStatusIfChanged(job, context, FineTuneStatusLogic.derive(job, observed, clock));
        }

        Optional<CurationJob> curation = CuratedDataset.isCurated(job) ? context.getSecondaryResource(CurationJob.class)
                : Optional.empty();
        // What the children are built from: with a curated dataset, the CurationJob's output as the dataset volume.
        FineTuneJob effective = curation.map(found -> CuratedDataset.resolve(job, found.getSpec().output.volume)).orElse(job);
        int attempt = Math.max(recorded, context.getSecondaryResources(Job.class).stream()
                .mapToInt(FineTuneJobReconciler::attemptOf).max().orElse(0));
        Optional<Job> current = attempt == 0 ? Optional.empty() : find(job, attempt, context);
        ConfigMap cachedConfig = context.getSecondaryResource(ConfigMap.class).orElse(null);
        if (current.isPresent() && cachedConfig == null) {
            applier.apply(FineTuneChildren.configMap(effective, settings), null); // deleted by hand while the Job runs
        }
        if (current.isEmpty()) {
            Optional<Observed.Blocker> blocker = blocker(job, effective, curation, context);
            if (blocker.isPresent()) {
                Observed observed = Observed.withoutJob(attempt, attempt == 0 ? null : Layout.jobName(job, attempt),
                        List.of(), blocker);
                return patchStatusIfChanged(job, context, FineTuneStatusLogic.derive(job, observed, clock))
                        .rescheduleAfter(missingReferenceRecheck);
            }
            String lost = attempt == 0 ? null : Layout.jobName(job, attempt);
            attempt++;
            current = find(job, attempt, context);
            if (current.isEmpty()) {
                applier.apply(FineTuneChildren.configMap(effective, settings), cachedConfig);
                current = Optional.of(create(job, effective, attempt, lost));
            }
        }
        List<Pod> pods = pods(context, attempt);
        boolean awaitingPod = pods.isEmpty() && Jobs.awaitsPod(current.get());
        Observed observed = new Observed(current, attempt, Layout.jobName(job, attempt), pods, Optional.empty(),
                awaitingPod ? Jobs.podCreationFailure(client, current.get()) : Optional.empty());
        UpdateControl<FineTuneJob> control = patchStatusIfChanged(job, context, FineTuneStatusLogic.derive(job, observed, clock));
        // A refused pod changes nothing the informers see (the Job controller only retries and records Events): until
        // the pod appears, look again.
        return awaitingPod ? control.rescheduleAfter(missingReferenceRecheck) : control;
    }

    /** Creates the Job of an attempt: server-side apply of an object that does not exist yet, never repeated. */
    private Job create(FineTuneJob job, FineTuneJob effective, int attempt, String lost) {
        Job desired = FineTuneChildren.job(effective, attempt, settings);
        Job created = client.resource(desired).fieldManager(ChildApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
        String name = desired.getMetadata().getName();
        if (lost == null) {
            events.normal(job, "JobCreated", "created Job " + name + " (attempt " + attempt + ")");
        } else {
            events.warning(job, "JobRecreated", "Job " + lost + " was deleted before it finished; created Job " + name
                    + " (attempt " + attempt + ")");
        }
        return created;
    }

    /**
     * Why no Job may be created now: the adapter name is held by another run, the curated data set is not there yet, or
     * an input is missing ({@code effective}: the job with its curated dataset resolved).
     */
    private Optional<Observed.Blocker> blocker(FineTuneJob job, FineTuneJob effective, Optional<CurationJob> curation,
            Context<FineTuneJob> context) {
        Optional<FineTuneJob> holder = AdapterNames.heldByAnother(job,
                context.getPrimaryCache().byIndex(OUTPUT_INDEX, AdapterNames.outputKey(job)));
        if (holder.isPresent()) {
            return Optional.of(new Observed.Blocker("AdapterNameTaken", "adapter " + job.getSpec().output.adapterName
                    + " in claim " + job.getSpec().output.volume.claimName + " belongs to FineTuneJob "
                    + holder.get().getMetadata().getName() + "; a published adapter is never overwritten: choose another "
                    + "output.adapterName", false));
        }
        if (CuratedDataset.isCurated(job)) {
            Optional<Observed.Blocker> notReady = CuratedDataset.notReady(job, curation);
            if (notReady.isPresent()) {
                return notReady;
            }
        }
        List<Inputs.Missing> missing = inputs.missing(effective);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Observed.Blocker(missing.get(0).reason(),
                String.join("; ", missing.stream().map(Inputs.Missing::message).toList()), false));
    }

    /** The Job of an attempt from the informer cache, or from the API server when the cache has not seen it yet. */
    private Optional<Job> find(FineTuneJob job, int attempt, Context<FineTuneJob> context) {
        String name = Layout.jobName(job, attempt);
        Optional<Job> cached = context.getSecondaryResources(Job.class).stream()
                .filter(candidate -> name.equals(candidate.getMetadata().getName()))
                .findFirst();
        return cached.isPresent() ? cached
                : Optional.ofNullable(client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(name).get());
    }

    private static List<Pod> pods(Context<FineTuneJob> context, int attempt) {
        String value = String.valueOf(attempt);
        return context.getSecondaryResources(Pod.class).stream()
                .filter(pod -> pod.getMetadata().getLabels() != null
                        && value.equals(pod.getMetadata().getLabels().get(Layout.ATTEMPT_LABEL)))
                .toList();
    }

    private static List<Class<? extends HasMetadata>> watchedKinds() {
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>(WATCHED_KINDS);
        kinds.add(CurationJob.class);
        return List.copyOf(kinds);
    }

    private static int attemptOf(Job job) {
        String value = job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(Layout.ATTEMPT_LABEL);
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public ErrorStatusUpdateControl<FineTuneJob> updateErrorStatus(FineTuneJob job, Context<FineTuneJob> context, Exception e) {
        LOG.warnf("Reconciling FineTuneJob %s/%s failed: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                e.getMessage());
        FineTuneJobStatus previous = job.getStatus() == null ? new FineTuneJobStatus() : job.getStatus();
        if (FineTuneStatusLogic.isFinished(previous)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        FineTuneJobStatus status = JSON.convertValue(previous, FineTuneJobStatus.class);
        status.observedGeneration = job.getMetadata().getGeneration();
        status.phase = previous.phase == null ? FineTuneJobStatus.Phase.Pending : previous.phase;
        status.conditions = new Conditions(previous.conditions, job.getMetadata().getGeneration(), clock)
                .set(FineTuneStatusLogic.READY, false, "ReconcileError", ApiErrors.describe(e))
                .build();
        return StatusUpdates.patchError(job, status, context);
    }

    private UpdateControl<FineTuneJob> patchStatusIfChanged(FineTuneJob job, Context<FineTuneJob> context,
            FineTuneJobStatus status) {
        return StatusUpdates.patchIfChanged(job, status, context, (previous, next) -> recordTransition(job, previous, next));
    }

    /** One Event per change of the Ready reason: a steady state records nothing. */
    private void recordTransition(FineTuneJob job, FineTuneJobStatus previous, FineTuneJobStatus next) {
        Optional<io.fabric8.kubernetes.api.model.Condition> before = previous == null ? Optional.empty()
                : Conditions.find(previous.conditions, FineTuneStatusLogic.READY);
        Optional<io.fabric8.kubernetes.api.model.Condition> after = Conditions.find(next.conditions, FineTuneStatusLogic.READY);
        if (after.isEmpty() || before.map(b -> b.getReason().equals(after.get().getReason())).orElse(false)) {
            return;
        }
        String reason = after.get().getReason();
        if (next.phase == FineTuneJobStatus.Phase.Failed || FineTuneStatusLogic.PROBLEMS.contains(reason)) {
            events.warning(job, reason, after.get().getMessage());
        } else {
            events.normal(job, reason, after.get().getMessage());
        }
    }
}
