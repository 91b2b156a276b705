package io.slmfleet.evaluationjob;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Condition;
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
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.ConfigMapKeyRef;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.ApiErrors;
import io.slmfleet.common.ApiUse;
import io.slmfleet.common.ChildApplier;
import io.slmfleet.common.ChildInformers;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.EventRecorder;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.StatusUpdates;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.curationjob.CuratedDataSets;

/**
 * Runs an EvaluationJob as one batch/v1 Job of the operator's image and derives its status (the leaderboard) from the
 * Job's conditions and the summary its pod leaves. No Job starts before its data set is written, its candidates are
 * Ready (adapters Mounted) and the claims, schema and Secrets it names exist; the candidates are resolved once, when
 * the Job is created. A finished run never runs again; a Job deleted before it finished is created again.
 */
@ControllerConfiguration(name = EvaluationJobReconciler.NAME, fieldManager = ChildApplier.FIELD_MANAGER)
public class EvaluationJobReconciler implements Reconciler<EvaluationJob> {

    public static final String NAME = "evaluationjob";

    /** Kinds this controller watches as its children (informers on the operator's children label selector). */
    static final List<Class<? extends HasMetadata>> CHILD_KINDS = List.of(Job.class, Pod.class);

    /**
     * Creates its Job with server-side apply (never updated), deletes nothing, watches its Job and pod, the CurationJob
     * and the SLMSpecialists it names (their readiness starts the run), reads claims, the schema ConfigMap, the
     * candidates' AgentRoutes and Secrets (existence only) by name before it creates the Job, and lists the Job
     * controller's FailedCreate Events of a Job that has no pod.
     */
    public static final ApiUse API_USE = new ApiUse(EvaluationJob.class, List.of(Job.class), List.of(),
            List.of(Job.class, Pod.class, CurationJob.class, SLMSpecialist.class),
            List.of(PersistentVolumeClaim.class, ConfigMap.class, AgentRoute.class, Secret.class), List.of(Event.class));

    private static final String CURATION_JOB_INDEX = "evaluationjob-curation-job";
    private static final String SPECIALIST_INDEX = "evaluationjob-specialist";
    private static final Logger LOG = Logger.getLogger(EvaluationJobReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final EvaluationSettings settings;
    private final Duration missingReferenceRecheck;

    public EvaluationJobReconciler(KubernetesClient client, EventRecorder events, Clock clock, OperatorConfig config) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.settings = EvaluationSettings.from(config);
        this.missingReferenceRecheck = config.missingReferenceRecheck();
    }

    @Override
    public List<EventSource<?, EvaluationJob>> prepareEventSources(EventSourceContext<EvaluationJob> context) {
        List<EventSource<?, EvaluationJob>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            sources.add(ChildInformers.childrenOf(kind, EvaluationJob.class, context));
        }
        // Referenced by name: a CurationJob's success or a specialist's readiness starts the run.
        context.getPrimaryCache().addIndexer(CURATION_JOB_INDEX, job -> job.getSpec().dataset.curationJob == null ? List.of()
                : List.of(job.getMetadata().getNamespace() + "/" + job.getSpec().dataset.curationJob));
        context.getPrimaryCache().addIndexer(SPECIALIST_INDEX, job -> specialists(job).stream()
                .map(name -> job.getMetadata().getNamespace() + "/" + name).toList());
        sources.add(referenced(CurationJob.class, CURATION_JOB_INDEX, job -> job.getSpec().dataset.curationJob == null
                ? Set.of() : Set.of(job.getSpec().dataset.curationJob), context));
        sources.add(referenced(SLMSpecialist.class, SPECIALIST_INDEX, EvaluationJobReconciler::specialists, context));
        return sources;
    }

    private static <R extends HasMetadata> EventSource<R, EvaluationJob> referenced(Class<R> kind, String index,
            Function<EvaluationJob, Set<String>> names, EventSourceContext<EvaluationJob> context) {
        return ChildInformers.trimmed(InformerEventSourceConfiguration.from(kind, EvaluationJob.class)
                .withName(kind.getSimpleName())
                .withSecondaryToPrimaryMapper(resource -> context.getPrimaryCache()
                        .byIndex(index, resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((EvaluationJob job) -> names.apply(job).stream()
                        .map(name -> new ResourceID(name, job.getMetadata().getNamespace()))
                        .collect(Collectors.toSet())), context);
    }

    private static Set<String> specialists(EvaluationJob job) {
        return job.getSpec().candidates.stream().map(candidate -> candidate.specialist).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public UpdateControl<EvaluationJob> reconcile(EvaluationJob evaluation, Context<EvaluationJob> context) {
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream().toList();
        if (EvaluationStatusLogic.isFinished(evaluation.getStatus())) {
            return patchStatusIfChanged(evaluation, context,
                    EvaluationStatusLogic.derive(evaluation, Observed.finished(pods), clock));
        }
        Optional<Job> current = find(evaluation, context);
        if (current.isEmpty()) {
            Inputs inputs = inputs(evaluation, context);
            if (inputs.blocker().isPresent()) {
                return patchStatusIfChanged(evaluation, context, EvaluationStatusLogic.derive(evaluation,
                        Observed.blocked(inputs.blocker().get()), clock)).rescheduleAfter(missingReferenceRecheck);
            }
            current = Optional.of(create(evaluation, inputs.resolved()));
        }
        boolean awaitingPod = pods.isEmpty() && Jobs.awaitsPod(current.get());
        Observed observed = new Observed(current, pods, Optional.empty(),
                awaitingPod ? Jobs.podCreationFailure(client, current.get()) : Optional.empty());
        UpdateControl<EvaluationJob> control = patchStatusIfChanged(evaluation, context,
                EvaluationStatusLogic.derive(evaluation, observed, clock));
        // A refused pod changes nothing the informers see (the Job controller only retries and records Events).
        return awaitingPod ? control.rescheduleAfter(missingReferenceRecheck) : control;
    }

    /** What the Job is built from, or why it cannot be yet. */
    private record Inputs(EvaluationInputs resolved, Optional<Observed.Blocker> blocker) {

        static Inputs blocked(String reason, String message) {
            return new Inputs(null, Optional.of(new Observed.Blocker(reason, message)));
        }
    }

    /**
     * Reads what the Job names, in the order a user fixes it: the data set, the output claim, the response schema, then
     * the candidates (all of their problems at once).
     */
    private Inputs inputs(EvaluationJob evaluation, Context<EvaluationJob> context) {
        EvaluationJobSpec spec = evaluation.getSpec();
        String namespace = evaluation.getMetadata().getNamespace();
        ClaimPath dataset;
        if (spec.dataset.curationJob != null) {
            Optional<CurationJob> curation = context.getSecondaryResource(CurationJob.class);
            Optional<CuratedDataSets.Problem> problem = CuratedDataSets.notReady(spec.dataset.curationJob, curation,
                    "EvaluationJob");
            if (problem.isPresent()) {
                return Inputs.blocked(problem.get().reason(), problem.get().message());
            }
            dataset = CuratedDataSets.evalFile(curation.get());
        } else {
            dataset = spec.dataset.volume;
            if (!claimExists(namespace, dataset.claimName)) {
                return Inputs.blocked("DatasetNotFound", "data set claim " + dataset.claimName + " not found");
            }
        }
        if (spec.output != null && !claimExists(namespace, spec.output.claimName)) {
            return Inputs.blocked("OutputVolumeNotFound", "output claim " + spec.output.claimName + " not found");
        }
        ConfigMapKeyRef schema = spec.scoring.responseSchema == null ? null : spec.scoring.responseSchema.configMapRef;
        if (schema != null) {
            ConfigMap found = client.configMaps().inNamespace(namespace).withName(schema.name).get();
            if (found == null || found.getData() == null || !found.getData().containsKey(schema.key)) {
                return Inputs.blocked("ResponseSchemaNotFound", found == null ? "response schema ConfigMap " + schema.name
                        + " not found" : "response schema ConfigMap " + schema.name + " has no key " + schema.key);
            }
        }
        CandidateResolver.Resolution resolution = CandidateResolver.resolve(evaluation, observeCandidates(evaluation, context),
                settings.gpuPrices());
        if (!resolution.resolved()) {
            return Inputs.blocked(resolution.reason(), String.join("; ", resolution.problems()));
        }
        return new Inputs(new EvaluationInputs(dataset.claimName, dataset.path, resolution.candidates(), schema),
                Optional.empty());
    }

    private CandidateResolver.Observation observeCandidates(EvaluationJob evaluation, Context<EvaluationJob> context) {
        String namespace = evaluation.getMetadata().getNamespace();
        Map<String, SLMSpecialist> specialists = new LinkedHashMap<>();
        context.getSecondaryResources(SLMSpecialist.class)
                .forEach(specialist -> specialists.put(specialist.getMetadata().getName(), specialist));
        Map<String, AgentRoute> routes = new LinkedHashMap<>();
        for (EvaluationJobSpec.Candidate candidate : evaluation.getSpec().candidates) {
            if (candidate.agentRouteFallback != null && !routes.containsKey(candidate.agentRouteFallback)) {
                AgentRoute route = client.resources(AgentRoute.class).inNamespace(namespace)
                        .withName(candidate.agentRouteFallback).get();
                if (route != null) {
                    routes.put(candidate.agentRouteFallback, route);
                }
            }
        }
        Set<String> secrets = CandidateResolver.secretNames(evaluation, routes).stream()
                .filter(name -> client.secrets().inNamespace(namespace).withName(name).get() != null)
                .collect(Collectors.toSet());
        return new CandidateResolver.Observation(specialists, routes, secrets);
    }

    private boolean claimExists(String namespace, String claim) {
        return client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() != null;
    }

    /** The Job from the informer cache, or from the API server when the cache has not seen it yet. */
    private Optional<Job> find(EvaluationJob evaluation, Context<EvaluationJob> context) {
        Optional<Job> cached = context.getSecondaryResource(Job.class);
        return cached.isPresent() ? cached : Optional.ofNullable(client.batch().v1().jobs()
                .inNamespace(evaluation.getMetadata().getNamespace()).withName(EvaluationLayout.jobName(evaluation)).get());
    }

    /** Creates the Job: server-side apply of an object that does not exist yet. */
    private Job create(EvaluationJob evaluation, EvaluationInputs inputs) {
        Job desired = EvaluationPodJob.desired(evaluation, inputs, settings);
        Job created = client.resource(desired).fieldManager(ChildApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
        String name = desired.getMetadata().getName();
        EvaluationJobStatus previous = evaluation.getStatus();
        if (previous == null || previous.jobName == null) {
            events.normal(evaluation, "JobCreated", "created Job " + name + " to evaluate " + inputs.candidates().size()
                    + " candidate(s)");
        } else {
            events.warning(evaluation, "JobRecreated", "Job " + name + " was deleted before it finished; created it again");
        }
        return created;
    }

    @Override
    public ErrorStatusUpdateControl<EvaluationJob> updateErrorStatus(EvaluationJob evaluation,
            Context<EvaluationJob> context, Exception e) {
        LOG.warnf("Reconciling EvaluationJob %s/%s failed: %s", evaluation.getMetadata().getNamespace(),
                evaluation.getMetadata().getName(), e.getMessage());
        EvaluationJobStatus previous = evaluation.getStatus() == null ? new EvaluationJobStatus() : evaluation.getStatus();
        if (EvaluationStatusLogic.isFinished(previous)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        EvaluationJobStatus status = JSON.convertValue(previous, EvaluationJobStatus.class);
        status.observedGeneration = evaluation.getMetadata().getGeneration();
        status.phase = previous.phase == null ? EvaluationJobStatus.Phase.Pending : previous.phase;
        status.conditions = new Conditions(previous.conditions, evaluation.getMetadata().getGeneration(), clock)
                .set(EvaluationStatusLogic.READY, false, "ReconcileError", ApiErrors.describe(e))
                .build();
        return StatusUpdates.patchError(evaluation, status, context);
    }

    private UpdateControl<EvaluationJob> patchStatusIfChanged(EvaluationJob evaluation, Context<EvaluationJob> context,
            EvaluationJobStatus status) {
        return StatusUpdates.patchIfChanged(evaluation, status, context,
                (previous, next) -> recordTransition(evaluation, previous, next));
    }

    /** One Event per change of the Ready reason: a steady state records nothing. */
    private void recordTransition(EvaluationJob evaluation, EvaluationJobStatus previous, EvaluationJobStatus next) {
        Optional<Condition> before = previous == null ? Optional.empty()
                : Conditions.find(previous.conditions, EvaluationStatusLogic.READY);
        Optional<Condition> after = Conditions.find(next.conditions, EvaluationStatusLogic.READY);
        if (after.isEmpty() || before.map(b -> b.getReason().equals(after.get().getReason())).orElse(false)) {
            return;
        }
        String reason = after.get().getReason();
        if (next.phase == EvaluationJobStatus.Phase.Failed || EvaluationStatusLogic.PROBLEMS.contains(reason)) {
            events.warning(evaluation, reason, after.get().getMessage());
        } else {
            events.normal(evaluation, reason, after.get().getMessage());
        }
    }
}
