package io.slmfleet.slmspecialist;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.api.v1alpha1.SecretKeyRef;
import io.slmfleet.common.ApiErrors;
import io.slmfleet.common.ApiUse;
import io.slmfleet.common.ChildApplier;
import io.slmfleet.common.ChildInformers;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.EventRecorder;
import io.slmfleet.common.StatusUpdates;
import io.slmfleet.config.OperatorConfig;

/**
 * Reconciles an SLMSpecialist into its NIM Deployment, Service, cache claim, autoscaler and disruption budget, and
 * derives its status from what those children and the NIM pods report.
 */
@ControllerConfiguration(name = SLMSpecialistReconciler.NAME, fieldManager = ChildApplier.FIELD_MANAGER)
public class SLMSpecialistReconciler implements Reconciler<SLMSpecialist> {

    public static final String NAME = "slmspecialist";

    /** Children, each watched by a label-filtered informer; the pods are watched for status only. */
    static final List<Class<? extends HasMetadata>> CHILD_KINDS = List.of(Deployment.class, Service.class,
            PersistentVolumeClaim.class, HorizontalPodAutoscaler.class, PodDisruptionBudget.class);

    /**
     * Children applied (the autoscalers and budget also deleted once unwanted), children, pods and the FineTuneJobs that
     * publish adapters watched, referenced Secrets read by name to report a missing one. KEDA's ScaledObject is read
     * by name, never watched: an informer on a kind the cluster may not serve would fail, and KEDA comes and goes.
     */
    public static final ApiUse API_USE = new ApiUse(SLMSpecialist.class,
            List.of(Deployment.class, Service.class, PersistentVolumeClaim.class, HorizontalPodAutoscaler.class,
                    ScaledObject.class, PodDisruptionBudget.class),
            List.of(HorizontalPodAutoscaler.class, ScaledObject.class, PodDisruptionBudget.class),
            List.of(Deployment.class, Service.class, PersistentVolumeClaim.class, HorizontalPodAutoscaler.class,
                    PodDisruptionBudget.class, Pod.class, FineTuneJob.class),
            List.of(Secret.class, ScaledObject.class), List.of());

    private static final Logger LOG = Logger.getLogger(SLMSpecialistReconciler.class);
    private static final String FINE_TUNE_JOB_INDEX = "fineTuneJob";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ChildApplier applier;
    private final EventRecorder events;
    private final Clock clock;
    private final NimSettings settings;
    private final Duration missingReferenceRecheck;
    private final KedaDiscovery keda;
    private final Optional<String> prometheusAddress;
    private final Duration discoveryInterval;

    public SLMSpecialistReconciler(KubernetesClient client, ChildApplier applier, EventRecorder events, Clock clock,
            OperatorConfig config) {
        this.client = client;
        this.applier = applier;
        this.events = events;
        this.clock = clock;
        this.settings = NimSettings.from(config);
        this.missingReferenceRecheck = config.missingReferenceRecheck();
        this.discoveryInterval = config.autoscaling().discoveryInterval();
        this.keda = new KedaDiscovery(client, clock, discoveryInterval);
        this.prometheusAddress = config.autoscaling().prometheusAddress();
    }

    @Override
    public List<EventSource<?, SLMSpecialist>> prepareEventSources(EventSourceContext<SLMSpecialist> context) {
        List<EventSource<?, SLMSpecialist>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            sources.add(ChildInformers.childrenOf(kind, SLMSpecialist.class, context));
        }
        sources.add(ChildInformers.childrenOf(Pod.class, SLMSpecialist.class, context));

        // A FineTuneJob is referenced by name from spec.adapters: index specialists by the jobs they name.
        context.getPrimaryCache().addIndexer(FINE_TUNE_JOB_INDEX, specialist -> specialist.getSpec().adapters.stream()
                .filter(adapter -> adapter.fineTuneJob != null)
                .map(adapter -> specialist.getMetadata().getNamespace() + "/" + adapter.fineTuneJob)
                .toList());
        sources.add(ChildInformers.trimmed(InformerEventSourceConfiguration.from(FineTuneJob.class, SLMSpecialist.class)
                .withName(FineTuneJob.class.getSimpleName())
                .withSecondaryToPrimaryMapper(job -> context.getPrimaryCache()
                        .byIndex(FINE_TUNE_JOB_INDEX, job.getMetadata().getNamespace() + "/" + job.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((SLMSpecialist specialist) -> specialist.getSpec().adapters.stream()
                        .filter(adapter -> adapter.fineTuneJob != null)
                        .map(adapter -> new ResourceID(adapter.fineTuneJob, specialist.getMetadata().getNamespace()))
                        .collect(Collectors.toSet())), context));
        return sources;
    }


    @Override
    public UpdateControl<SLMSpecialist> reconcile(SLMSpecialist specialist, Context<SLMSpecialist> context) {
        Map<String, FineTuneJob> jobs = context.getSecondaryResources(FineTuneJob.class).stream()
                .collect(Collectors.toMap(job -> job.getMetadata().getName(), job -> job));
        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, name -> Optional.ofNullable(jobs.get(name)));
        boolean kedaServed = keda.scaledObjectServed();
        ScaledObject scaledObject = kedaServed ? client.resources(ScaledObject.class)
                .inNamespace(specialist.getMetadata().getNamespace()).withName(specialist.getMetadata().getName()).get() : null;
        Optional<AutoscalingPlan> autoscaling = AutoscalingPlan.of(specialist.getSpec().autoscaling,
                        new AutoscalingPlan.Cluster(kedaServed, prometheusAddress))
                .map(plan -> foreignAutoscaler(specialist, scaledObject).map(plan::conflictingWith).orElse(plan));
        SpecialistChildren desired = SpecialistChildren.desired(specialist, adapters, settings, autoscaling);

        desired.cache().ifPresent(claim -> applier.apply(claim, cached(context, PersistentVolumeClaim.class)));
        applier.apply(desired.deployment(), cached(context, Deployment.class));
        applier.apply(desired.service(), cached(context, Service.class));
        HorizontalPodAutoscaler hpa = cached(context, HorizontalPodAutoscaler.class);
        // The unwanted engine goes first: KEDA refuses a ScaledObject while another HPA scales the same Deployment.
        deleteUnlessWanted(specialist, desired.autoscaler(), hpa);
        deleteUnlessWanted(specialist, desired.scaledObject(), scaledObject);
        desired.autoscaler().ifPresent(wanted -> applier.apply(wanted, hpa));
        desired.scaledObject().ifPresent(wanted -> applier.apply(wanted, scaledObject));
        applyOrDelete(desired.disruptionBudget(), cached(context, PodDisruptionBudget.class));

        List<String> missing = missingSecrets(specialist);
        Observed observed = new Observed(Optional.ofNullable(cached(context, Deployment.class)),
                List.copyOf(context.getSecondaryResources(Pod.class)), missing, adapters, autoscaling);
        SLMSpecialistStatus status = SpecialistStatusLogic.derive(specialist, observed, clock);
        UpdateControl<SLMSpecialist> control = StatusUpdates.patchIfChanged(specialist, status, context,
                (previous, next) -> recordTransitions(specialist, previous, next));
        // Nothing the operator watches tells it that KEDA was installed or a foreign HPA removed: look again.
        boolean waitsOnTheCluster = autoscaling.filter(plan -> plan.engine() == Engine.None
                || plan.dependsOnKedaDiscovery() && plan.engine() == Engine.Hpa && !kedaServed).isPresent();
        Optional<Duration> recheck = Stream.of(
                        missing.isEmpty() ? Optional.<Duration>empty() : Optional.of(missingReferenceRecheck),
                        waitsOnTheCluster ? Optional.of(discoveryInterval) : Optional.<Duration>empty())
                .flatMap(Optional::stream)
                .min(Comparator.naturalOrder());
        return recheck.map(control::rescheduleAfter).orElse(control);
    }

    @Override
    public ErrorStatusUpdateControl<SLMSpecialist> updateErrorStatus(SLMSpecialist specialist, Context<SLMSpecialist> context,
            Exception e) {
        LOG.warnf("Reconciling SLMSpecialist %s/%s failed: %s", specialist.getMetadata().getNamespace(),
                specialist.getMetadata().getName(), e.getMessage());
        SLMSpecialistStatus previous = specialist.getStatus() == null ? new SLMSpecialistStatus() : specialist.getStatus();
        SLMSpecialistStatus status = copy(previous);
        status.observedGeneration = specialist.getMetadata().getGeneration();
        status.phase = previous.phase == null ? SLMSpecialistStatus.Phase.Pending : previous.phase;
        status.conditions = new Conditions(previous.conditions, specialist.getMetadata().getGeneration(), clock)
                .set(SpecialistStatusLogic.READY, false, "ReconcileError", ApiErrors.describe(e))
                .build();
        return StatusUpdates.patchError(specialist, status, context);
    }

    private <R extends HasMetadata> void applyOrDelete(Optional<R> desired, R cached) {
        if (desired.isPresent()) {
            applier.apply(desired.get(), cached);
        } else {
            applier.deleteIfPresent(cached);
        }
    }

    /** An autoscaler of the other engine, or one no longer wanted, is deleted only when this specialist owns it. */
    private <R extends HasMetadata> void deleteUnlessWanted(SLMSpecialist specialist, Optional<R> desired, R current) {
        if (desired.isEmpty() && current != null && controlledBy(current, specialist)) {
            applier.deleteIfPresent(current);
        }
    }

    /**
     * A ScaledObject of the specialist's name that it does not own, or an HPA on its Deployment that neither the
     * operator nor the specialist's own ScaledObject (which runs its HPA, keda-hpa-<name>) created: kind and
     * namespace/name.
     */
    private Optional<String> foreignAutoscaler(SLMSpecialist specialist, ScaledObject scaledObject) {
        String name = specialist.getMetadata().getName();
        if (scaledObject != null && !controlledBy(scaledObject, specialist)) {
            return Optional.of("KEDA ScaledObject " + specialist.getMetadata().getNamespace() + "/" + name);
        }
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(specialist.getMetadata().getNamespace())
                .list().getItems().stream()
                .filter(hpa -> hpa.getSpec() != null && hpa.getSpec().getScaleTargetRef() != null
                        && "Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind())
                        && name.equals(hpa.getSpec().getScaleTargetRef().getName()))
                .filter(hpa -> !controlledBy(hpa, specialist) && !controlledByOwnScaledObject(hpa, name))
                .map(hpa -> "HorizontalPodAutoscaler " + hpa.getMetadata().getNamespace() + "/" + hpa.getMetadata().getName())
                .findFirst();
    }

    private static boolean controlledBy(HasMetadata child, SLMSpecialist specialist) {
        return child.getMetadata().getOwnerReferences().stream()
                .anyMatch(owner -> Boolean.TRUE.equals(owner.getController())
                        && specialist.getMetadata().getUid().equals(owner.getUid()));
    }

    private static boolean controlledByOwnScaledObject(HasMetadata hpa, String specialistName) {
        return hpa.getMetadata().getOwnerReferences().stream()
                .anyMatch(owner -> Boolean.TRUE.equals(owner.getController()) && ScaledObject.KIND.equals(owner.getKind())
                        && owner.getApiVersion() != null && owner.getApiVersion().startsWith(ScaledObject.GROUP + "/")
                        && specialistName.equals(owner.getName()));
    }

    private List<String> missingSecrets(SLMSpecialist specialist) {
        String namespace = specialist.getMetadata().getNamespace();
        List<String> missing = new ArrayList<>();
        SecretKeyRef key = specialist.getSpec().model.ngcApiKeySecret;
        if (key != null) {
            Secret secret = client.secrets().inNamespace(namespace).withName(key.name).get();
            if (secret == null) {
                missing.add("Secret " + key.name + " (NGC API key) not found");
            } else if (!hasKey(secret, key.key)) {
                missing.add("Secret " + key.name + " has no key " + key.key);
            }
        }
        for (String pullSecret : specialist.getSpec().model.imagePullSecrets) {
            if (client.secrets().inNamespace(namespace).withName(pullSecret).get() == null) {
                missing.add("image pull Secret " + pullSecret + " not found");
            }
        }
        return missing;
    }

    /** Looks at the key names only; values are never read. */
    private static boolean hasKey(Secret secret, String key) {
        return (secret.getData() != null && secret.getData().containsKey(key))
                || (secret.getStringData() != null && secret.getStringData().containsKey(key));
    }

    private void recordTransitions(SLMSpecialist specialist, SLMSpecialistStatus previous, SLMSpecialistStatus next) {
        // Progressing comes and goes with every rollout: its Ready counterpart tells the story.
        List<Condition> after = next.conditions.stream()
                .filter(condition -> !SpecialistStatusLogic.PROGRESSING.equals(condition.getType()))
                .toList();
        events.transitions(specialist, previous == null ? List.of() : previous.conditions, after,
                condition -> SpecialistStatusLogic.DEGRADED.equals(condition.getType())
                        ? Conditions.FALSE.equals(condition.getStatus())
                        : Conditions.TRUE.equals(condition.getStatus()),
                SpecialistStatusLogic.EXPECTED_WAITS);
    }

    private static <R extends HasMetadata> R cached(Context<SLMSpecialist> context, Class<R> kind) {
        return context.getSecondaryResource(kind).orElse(null);
    }

    private static SLMSpecialistStatus copy(SLMSpecialistStatus status) {
        return JSON.convertValue(status, SLMSpecialistStatus.class);
    }
}
