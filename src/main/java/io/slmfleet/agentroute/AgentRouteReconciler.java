package io.slmfleet.agentroute;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.ApiErrors;
import io.slmfleet.common.ApiUse;
import io.slmfleet.common.ChildApplier;
import io.slmfleet.common.ChildInformers;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.EventRecorder;
import io.slmfleet.common.StatusUpdates;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.delegation.Decision;
import io.slmfleet.economics.SlidingIncrements;

/**
 * Reconciles an AgentRoute into its routing table (a ConfigMap) and the router that serves it (Deployment, Service,
 * disruption budget), and derives its status from the specialists it routes to and the router pods.
 * <p>
 * While an input is broken (unknown specialist, adapter not listed, unusable response schema, missing Secret) the last
 * table rendered from complete input keeps serving; see docs/agentroute.md.
 */
// Response-schema ConfigMaps are not watched (they are not ours and carry no label to filter on): a regular reconcile
// picks up an edited schema.
@ControllerConfiguration(name = AgentRouteReconciler.NAME, fieldManager = ChildApplier.FIELD_MANAGER,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class AgentRouteReconciler implements Reconciler<AgentRoute> {

    public static final String NAME = "agentroute";

    /** Children this controller writes and watches (by the owner label). */
    static final List<Class<? extends HasMetadata>> CHILD_KINDS = List.of(ConfigMap.class, Deployment.class,
            Service.class, PodDisruptionBudget.class);

    /**
     * Children applied (the budget also deleted when one router replica is left), children, specialists and the
     * EvaluationJobs delegations take their candidates from watched, response-schema ConfigMaps read by name, referenced
     * Secrets checked for existence, and the router pods listed by label while a delegation reads their metrics (with the
     * ReplicaSets that tell the router's own pods from others).
     */
    public static final ApiUse API_USE = new ApiUse(AgentRoute.class, CHILD_KINDS, List.of(PodDisruptionBudget.class),
            List.of(ConfigMap.class, Deployment.class, Service.class, PodDisruptionBudget.class, SLMSpecialist.class,
                    EvaluationJob.class),
            List.of(ConfigMap.class, Secret.class), List.of(Pod.class, ReplicaSet.class));

    private static final Logger LOG = Logger.getLogger(AgentRouteReconciler.class);
    private static final String SPECIALIST_INDEX = "specialist";
    private static final String EVALUATION_INDEX = "evaluationjob";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ChildApplier applier;
    private final EventRecorder events;
    private final Clock clock;
    private final RouteDecision.Settings settings;
    private final RouteDelegations delegations;
    private final RouteTrafficReader traffic;
    private final EconomicsMetrics economicsMetrics;

    public AgentRouteReconciler(KubernetesClient client, ChildApplier applier, EventRecorder events, Clock clock,
            OperatorConfig config, RouteDelegations delegations, RouteTrafficReader traffic, EconomicsMetrics economicsMetrics) {
        this.client = client;
        this.applier = applier;
        this.events = events;
        this.clock = clock;
        this.settings = RouteDecision.Settings.from(config);
        this.delegations = delegations;
        this.traffic = traffic;
        this.economicsMetrics = economicsMetrics;
    }

    @Override
    public List<EventSource<?, AgentRoute>> prepareEventSources(EventSourceContext<AgentRoute> context) {
        List<EventSource<?, AgentRoute>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            sources.add(ChildInformers.childrenOf(kind, AgentRoute.class, context));
        }
        // A delegation's candidatesFrom names an EvaluationJob: index routes by it, so the evaluation appearing or
        // finishing starts (or stops) exactly the tournaments that wait on it.
        context.getPrimaryCache().addIndexer(EVALUATION_INDEX, route -> evaluationNames(route).stream()
                .map(name -> key(route.getMetadata().getNamespace(), name)).toList());
        InformerEventSource<EvaluationJob, AgentRoute> evaluations = ChildInformers.trimmed(
                InformerEventSourceConfiguration.from(EvaluationJob.class, AgentRoute.class)
                        .withName(EvaluationJob.class.getSimpleName())
                        .withSecondaryToPrimaryMapper(evaluation -> routesByIndex(context, EVALUATION_INDEX,
                                key(evaluation.getMetadata().getNamespace(), evaluation.getMetadata().getName())))
                        .withPrimaryToSecondaryMapper((AgentRoute route) -> evaluationNames(route).stream()
                                .map(name -> new ResourceID(name, route.getMetadata().getNamespace()))
                                .collect(Collectors.toSet())), context);
        sources.add(evaluations);
        // Targets name specialists: index routes by the specialists they name, so a specialist's change (readiness,
        // adapters) re-renders exactly the routes that use it. The candidates of an evaluation are known only from
        // the evaluation, so those routes are found, and their specialists named, through the evaluations' cache.
        context.getPrimaryCache().addIndexer(SPECIALIST_INDEX, route -> specialistKeys(route).stream().toList());
        sources.add(ChildInformers.trimmed(InformerEventSourceConfiguration.from(SLMSpecialist.class, AgentRoute.class)
                .withName(SLMSpecialist.class.getSimpleName())
                .withSecondaryToPrimaryMapper(specialist -> {
                    String namespace = specialist.getMetadata().getNamespace();
                    String name = specialist.getMetadata().getName();
                    Set<ResourceID> routes = new HashSet<>(routesByIndex(context, SPECIALIST_INDEX, key(namespace, name)));
                    evaluations.list(namespace, evaluation -> evaluatedSpecialists(evaluation).contains(name))
                            .forEach(evaluation -> routes.addAll(routesByIndex(context, EVALUATION_INDEX,
                                    key(namespace, evaluation.getMetadata().getName()))));
                    return routes;
                })
                .withPrimaryToSecondaryMapper((AgentRoute route) -> {
                    String namespace = route.getMetadata().getNamespace();
                    Set<String> names = new HashSet<>(specialistNames(route));
                    evaluationNames(route).forEach(evaluation -> evaluations.get(new ResourceID(evaluation, namespace))
                            .ifPresent(found -> names.addAll(evaluatedSpecialists(found))));
                    return names.stream().map(name -> new ResourceID(name, namespace)).collect(Collectors.toSet());
                }), context));
        return sources;
    }

    private static Set<ResourceID> routesByIndex(EventSourceContext<AgentRoute> context, String index, String key) {
        return context.getPrimaryCache().byIndex(index, key).stream().map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    /** The EvaluationJobs an AgentRoute's delegations take their candidates from. */
    private static Set<String> evaluationNames(AgentRoute route) {
        return route.getSpec().routes.stream()
                .filter(r -> r.delegation != null && r.delegation.candidatesFrom != null)
                .map(r -> r.delegation.candidatesFrom.evaluationJob)
                .collect(Collectors.toSet());
    }

    /** The specialists an EvaluationJob ranks: the candidates a tournament from it may enter. */
    private static Set<String> evaluatedSpecialists(EvaluationJob evaluation) {
        return evaluation.getSpec() == null ? Set.of() : evaluation.getSpec().candidates.stream()
                .map(candidate -> candidate.specialist).filter(Objects::nonNull).collect(Collectors.toSet());
    }


    private static Set<String> specialistKeys(AgentRoute route) {
        return specialistNames(route).stream().map(name -> key(route.getMetadata().getNamespace(), name))
                .collect(Collectors.toSet());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The specialists an AgentRoute names: its targets' and its delegations' declared candidates. */
    private static Set<String> specialistNames(AgentRoute route) {
        Set<String> names = new HashSet<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            routeSpec.targets.forEach(target -> names.add(target.specialist));
            if (routeSpec.delegation != null) {
                routeSpec.delegation.entrants().forEach(candidate -> names.add(candidate.specialist));
            }
        }
        return names;
    }

    /** Reads everything once ({@link Observed}), decides from that alone ({@link RouteDecision}), then writes. */
    @Override
    public UpdateControl<AgentRoute> reconcile(AgentRoute route, Context<AgentRoute> context) {
        Observed observed = observe(route, context);
        RouteDecision decision = RouteDecision.of(route, observed, settings, clock);
        return apply(route, observed.children(), decision, context);
    }

    @Override
    public ErrorStatusUpdateControl<AgentRoute> updateErrorStatus(AgentRoute route, Context<AgentRoute> context, Exception e) {
        LOG.warnf("Reconciling AgentRoute %s/%s failed: %s", route.getMetadata().getNamespace(), route.getMetadata().getName(),
                e.getMessage());
        AgentRouteStatus previous = route.getStatus() == null ? new AgentRouteStatus() : route.getStatus();
        AgentRouteStatus status = JSON.convertValue(previous, AgentRouteStatus.class);
        status.observedGeneration = route.getMetadata().getGeneration();
        status.phase = previous.phase == null ? AgentRouteStatus.Phase.Pending : previous.phase;
        status.conditions = new Conditions(previous.conditions, route.getMetadata().getGeneration(), clock)
                .set(RouteStatusLogic.READY, false, "ReconcileError", ApiErrors.describe(e))
                .build();
        return StatusUpdates.patchError(route, status, context);
    }

    private Observed observe(AgentRoute route, Context<AgentRoute> context) {
        Instant now = clock.instant();
        List<SLMSpecialist> specialists = List.copyOf(context.getSecondaryResources(SLMSpecialist.class));
        List<EvaluationJob> evaluations = List.copyOf(context.getSecondaryResources(EvaluationJob.class));
        Observed.Children children = new Observed.Children(context.getSecondaryResource(ConfigMap.class),
                context.getSecondaryResource(Deployment.class), context.getSecondaryResource(Service.class),
                context.getSecondaryResource(PodDisruptionBudget.class));
        return new Observed(now, specialists, evaluations, delegations.readFigures(route, specialists, evaluations, now),
                readSchemas(route), readSecretKeys(route), readTraffic(route, children.router(), now), children);
    }

    private Map<SchemaRef, ResponseSchema> readSchemas(AgentRoute route) {
        String namespace = route.getMetadata().getNamespace();
        Map<SchemaRef, ResponseSchema> schemas = new LinkedHashMap<>();
        for (SchemaRef ref : RoutingTableRenderer.schemaRefs(route)) {
            ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(ref.configMap()).get();
            schemas.put(ref, ResponseSchemas.read(ref, configMap));
        }
        return schemas;
    }

    private Map<SecretKey, SecretKey.Presence> readSecretKeys(AgentRoute route) {
        String namespace = route.getMetadata().getNamespace();
        Map<SecretKey, SecretKey.Presence> presence = new LinkedHashMap<>();
        for (SecretKey key : RouteSecrets.referenced(route)) {
            presence.put(key, key.presenceIn(client.secrets().inNamespace(namespace).withName(key.secret()).get()));
        }
        return presence;
    }

    /** Read at every reconcile (at least every 5 minutes) while the router serves: the economics window moves on. */
    private Optional<SlidingIncrements.Increments> readTraffic(AgentRoute route, Optional<Deployment> router, Instant now) {
        boolean serves = router.map(Deployment::getStatus).map(DeploymentStatus::getReadyReplicas).orElse(0) > 0;
        return serves ? traffic.read(route, now) : Optional.empty();
    }

    private UpdateControl<AgentRoute> apply(AgentRoute route, Observed.Children cached, RouteDecision decision,
            Context<AgentRoute> context) {
        applyChildren(decision.children(), cached);
        economicsMetrics.record(route, decision.status().economics);
        UpdateControl<AgentRoute> control = StatusUpdates.patchIfChanged(route, decision.status(), context,
                (previous, next) -> recordTransitions(route, previous, next));
        return decision.lookAgainAfter().map(control::rescheduleAfter).orElse(control);
    }

    private void applyChildren(RouteChildren desired, Observed.Children cached) {
        applier.apply(desired.routingTable(), cached.routingTable().orElse(null));
        applier.apply(desired.deployment(), cached.router().orElse(null));
        applier.apply(desired.service(), cached.service().orElse(null));
        PodDisruptionBudget budget = cached.disruptionBudget().orElse(null);
        desired.disruptionBudget().ifPresentOrElse(wanted -> applier.apply(wanted, budget),
                () -> applier.deleteIfPresent(budget));
    }

    private void recordTransitions(AgentRoute route, AgentRouteStatus previous, AgentRouteStatus next) {
        events.transitions(route, withoutDelegation(previous == null ? List.of() : previous.conditions),
                withoutDelegation(next.conditions), condition -> Conditions.TRUE.equals(condition.getStatus()),
                RouteStatusLogic.EXPECTED_WAITS);
        recordDecisions(route, previous == null ? List.of() : previous.delegations, next.delegations);
        String previousHash = previous == null ? null : previous.configHash;
        if (!next.configHash.equals(previousHash)) {
            events.normal(route, "RoutingTableUpdated", "the router is given routing table " + next.configHash);
        }
    }

    private static List<Condition> withoutDelegation(List<Condition> conditions) {
        return conditions.stream().filter(c -> !RouteStatusLogic.DELEGATION_CONDITIONS.contains(c.getType())).toList();
    }

    /**
     * One Event per new delegation decision (action and reason, or a step taken with the same ones, as each passed
     * step is): a rollback or a hold on missing figures is a Warning.
     */
    private void recordDecisions(AgentRoute route, List<DelegationStatus> before, List<DelegationStatus> after) {
        for (DelegationStatus delegation : after) {
            AgentRouteStatus.Decision decision = delegation.lastDecision;
            if (decision == null) {
                continue;
            }
            boolean known = before.stream().anyMatch(old -> old.task.equals(delegation.task) && old.lastDecision != null
                    && old.lastDecision.action.equals(decision.action) && old.lastDecision.reason.equals(decision.reason)
                    && old.phase == delegation.phase && Objects.equals(old.step, delegation.step));
            if (known) {
                continue;
            }
            String message = "route " + delegation.task + ": " + decision.message;
            if (Decision.Action.RollBack.name().equals(decision.action) || Decision.ANALYSIS_UNAVAILABLE.equals(decision.reason)) {
                events.warning(route, decision.reason, message);
            } else {
                events.normal(route, decision.reason, message);
            }
        }
    }
}
