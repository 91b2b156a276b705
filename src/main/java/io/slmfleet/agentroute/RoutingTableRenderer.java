package io.slmfleet.agentroute;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.slmfleet.delegation.Candidate;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteSpec;
import io.slmfleet.api.v1alpha1.CandidateSpec;
import io.slmfleet.api.v1alpha1.DelegationSpec;
import io.slmfleet.api.v1alpha1.FallbackSpec;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.api.v1alpha1.TargetSpec;
import io.slmfleet.api.v1alpha1.UsageCaptureSpec;
import io.slmfleet.common.Conditions;
import io.slmfleet.routing.RouterContract;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTable.FallbackReason;
import io.slmfleet.slmspecialist.Nim;
import io.slmfleet.slmspecialist.SpecialistStatusLogic;

/**
 * Renders an AgentRoute into its routing table, from the specialists of its namespace and its response schemas; a pure
 * function, so the reconciler, the offline render and the tests get the same table from the same input.
 * <p>
 * A target is ready when its specialist is Ready and, for an adapter target, the specialist lists the adapter and
 * reports it Mounted. Only ready targets with a weight above 0 enter the table, with the weights of the unready ones
 * moved to them ({@link Weights}). A route whose response schema is unusable gets no target, so it goes to the
 * fallback (when that covers errors) rather than serving unchecked answers.
 */
public final class RoutingTableRenderer {

    private static final Pattern DURATION = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(ms|s|m)$");

    private RoutingTableRenderer() {
    }

    /** The response schemas an AgentRoute references: the reconciler reads exactly these. */
    public static Set<SchemaRef> schemaRefs(AgentRoute route) {
        return route.getSpec().routes.stream()
                .filter(r -> r.responseSchema != null && r.responseSchema.configMapRef != null)
                .map(r -> SchemaRef.of(r.responseSchema.configMapRef))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Each delegation's candidate, resolved like a target (ready when its specialist is Ready and its adapter Mounted),
     * by task: a tournament's first declared one; none for a tournament from an evaluation (candidatesFrom), whose
     * candidates are the serving's.
     */
    public static Map<String, ResolvedTarget> candidates(AgentRoute route, List<SLMSpecialist> specialists) {
        Map<String, SLMSpecialist> byName = inNamespace(route, specialists);
        Map<String, ResolvedTarget> candidates = new LinkedHashMap<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation != null && !routeSpec.delegation.entrants().isEmpty()) {
                TargetSpec candidate = candidateTarget(routeSpec.delegation.entrants().get(0));
                candidates.put(routeSpec.task, resolve(routeSpec.task, candidate,
                        Optional.ofNullable(byName.get(candidate.specialist))));
            }
        }
        return candidates;
    }

    /**
     * @param specialists the SLMSpecialists of the route's namespace (others are ignored)
     * @param schemas every schema of {@link #schemaRefs(AgentRoute)}, as read
     * @param servings each delegating route's candidate share of live traffic and comparison rate, by task (absent:
     *        shadowing at the spec's rate, as before the first look)
     */
    public static RenderedRoutes render(AgentRoute route, List<SLMSpecialist> specialists, Map<SchemaRef, ResponseSchema> schemas,
            Map<String, CandidateServing> servings) {
        Map<String, SLMSpecialist> byName = inNamespace(route, specialists);
        Map<String, ResolvedTarget> candidates = candidates(route, specialists);
        AgentRouteSpec spec = route.getSpec();
        List<ResolvedTarget> resolved = new ArrayList<>();
        Set<InputProblem> problems = new LinkedHashSet<>();
        List<RoutingTable.Route> routes = new ArrayList<>();
        for (RouteSpec routeSpec : spec.routes) {
            List<ResolvedTarget> targets = routeSpec.targets.stream()
                    .map(target -> resolve(routeSpec.task, target, Optional.ofNullable(byName.get(target.specialist))))
                    .toList();
            resolved.addAll(targets);
            targets.stream()
                    .filter(t -> InputProblem.SPECIALIST_NOT_FOUND.equals(t.reason()) || InputProblem.ADAPTER_NOT_LISTED.equals(t.reason()))
                    .forEach(t -> problems.add(new InputProblem(t.reason(), "route " + t.task() + ": " + t.message())));

            Object schemaDocument = null;
            boolean schemaUsable = true;
            if (routeSpec.responseSchema != null) {
                SchemaRef ref = SchemaRef.of(routeSpec.responseSchema.configMapRef);
                ResponseSchema schema = schemas.get(ref);
                if (schema == null) {
                    throw new IllegalArgumentException(ref + " was not read");
                }
                if (schema instanceof ResponseSchema.Usable usable) {
                    schemaDocument = usable.document();
                } else if (schema instanceof ResponseSchema.Unusable unusable) {
                    schemaUsable = false;
                    problems.add(new InputProblem(unusable.problem().reason(), "route " + routeSpec.task + ": "
                            + unusable.problem().message()));
                }
            }
            List<RoutingTable.Target> tableTargets = schemaUsable ? tableTargets(targets) : List.of();
            RoutingTable.Delegation delegation = null;
            ResolvedTarget candidate = candidates.get(routeSpec.task);
            // A candidate that cannot answer is not compared; an unusable schema sends the whole route to the fallback.
            CandidateServing serving = routeSpec.delegation == null ? CandidateServing.NONE
                    : servings.getOrDefault(routeSpec.task, CandidateServing.initial(routeSpec.delegation));
            List<ResolvedTarget> contenders = List.of();
            if (routeSpec.delegation != null && routeSpec.delegation.tournament()) {
                // A tournament: the candidates the look compares (all of them before its first look), the ready ones
                List<Candidate> compared = serving.compared().isEmpty() && !servings.containsKey(routeSpec.task)
                        ? routeSpec.delegation.entrants().stream().map(Candidate::of).toList() : serving.compared();
                List<ResolvedTarget> ready = compared.stream()
                        .map(c -> resolve(routeSpec.task, candidateTarget(c.toSpec()),
                                Optional.ofNullable(byName.get(c.specialist()))))
                        .filter(ResolvedTarget::ready).toList();
                candidate = ready.isEmpty() ? null : ready.get(0);
                contenders = ready.isEmpty() ? List.of() : ready.subList(1, ready.size());
            }
            if (candidate != null && candidate.ready() && schemaUsable && serving.inTable()) {
                DelegationWeights weights = DelegationWeights.split(tableTargets.stream().map(RoutingTable.Target::weight)
                        .toList(), serving.share());
                List<RoutingTable.Target> reweighted = new ArrayList<>();
                for (int i = 0; i < tableTargets.size(); i++) {
                    RoutingTable.Target target = tableTargets.get(i);
                    reweighted.add(new RoutingTable.Target(target.specialist(), target.adapter(), target.endpoint(),
                            target.model(), weights.trusted().get(i)));
                }
                tableTargets = reweighted;
                delegation = delegation(routeSpec, spec, candidate, weights.candidate(), serving.shadowRate(),
                        spec.routes.indexOf(routeSpec), contenders);
            }
            routes.add(new RoutingTable.Route(routeSpec.task, tableTargets, timeoutMillis(routeSpec.timeout),
                    routeSpec.retries == null ? 0 : routeSpec.retries, schemaDocument, delegation));
        }
        RoutingTable table = new RoutingTable(RoutingTable.API_VERSION,
                route.getMetadata().getNamespace() + "/" + route.getMetadata().getName(), routes, fallback(spec.fallback),
                usageCapture(spec.usageCapture));
        return new RenderedRoutes(table, resolved, List.copyOf(problems));
    }

    private static Map<String, SLMSpecialist> inNamespace(AgentRoute route, List<SLMSpecialist> specialists) {
        return specialists.stream()
                .filter(s -> s.getMetadata().getNamespace() == null
                        || s.getMetadata().getNamespace().equals(route.getMetadata().getNamespace()))
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity(), (a, b) -> a));
    }

    private static TargetSpec candidateTarget(CandidateSpec candidate) {
        TargetSpec target = new TargetSpec();
        target.specialist = candidate.specialist;
        target.adapter = candidate.adapter;
        target.weight = 0;
        return target;
    }

    /**
     * The table's delegation block: compared against the fallback LLM (the teacher) when there is one, else against the
     * route's trusted targets; a judge's key is the environment variable the router Deployment sets from its Secret.
     */
    private static RoutingTable.Delegation delegation(RouteSpec routeSpec, AgentRouteSpec spec, ResolvedTarget candidate,
            int weight, double shadowRate, int routeIndex, List<ResolvedTarget> contenders) {
        DelegationSpec delegation = routeSpec.delegation;
        RoutingTable.Judge judge = delegation.judge == null ? null : new RoutingTable.Judge(delegation.judge.endpoint,
                delegation.judge.model, delegation.judge.apiKeySecret == null ? null : RouterContract.judgeApiKeyEnv(routeIndex));
        return new RoutingTable.Delegation(
                new RoutingTable.Target(candidate.specialist(), candidate.adapter(), candidate.endpoint(), candidate.model(),
                        weight),
                spec.fallback != null ? RoutingTable.Delegation.REFERENCE_FALLBACK : RoutingTable.Delegation.REFERENCE_TARGETS,
                shadowRate, delegation.agreementThreshold, judge, contenders.stream()
                        .map(c -> new RoutingTable.Target(c.specialist(), c.adapter(), c.endpoint(), c.model(), 0))
                        .toList());
    }

    /** A target as the router would call it, and whether it can take traffic now (and why not). */
    public static ResolvedTarget resolve(String task, TargetSpec target, Optional<SLMSpecialist> found) {
        String adapter = target.adapter == null || target.adapter.isEmpty() ? null : target.adapter;
        int weight = target.weight == null ? 0 : target.weight;
        if (found.isEmpty()) {
            return new ResolvedTarget(task, target.specialist, adapter, weight, false, null, null,
                    InputProblem.SPECIALIST_NOT_FOUND, "SLMSpecialist " + target.specialist + " not found");
        }
        SLMSpecialist specialist = found.get();
        SLMSpecialistStatus status = specialist.getStatus();
        String endpoint = status != null && status.endpoint != null && !status.endpoint.isEmpty() ? status.endpoint
                : Nim.endpoint(specialist);
        String model = adapter != null ? adapter : specialist.getSpec().model.name;
        if (adapter != null && specialist.getSpec().adapters.stream().noneMatch(a -> adapter.equals(a.name))) {
            return new ResolvedTarget(task, target.specialist, adapter, weight, false, endpoint, model,
                    InputProblem.ADAPTER_NOT_LISTED, "SLMSpecialist " + target.specialist + " does not list adapter " + adapter);
        }
        if (status == null || status.phase != SLMSpecialistStatus.Phase.Ready) {
            String phase = status == null || status.phase == null ? "not reconciled yet" : "is " + status.phase.name();
            String why = status == null ? null : Conditions.find(status.conditions, SpecialistStatusLogic.READY)
                    .map(Condition::getMessage).orElse(null);
            return new ResolvedTarget(task, target.specialist, adapter, weight, false, endpoint, model,
                    ResolvedTarget.SPECIALIST_NOT_READY,
                    "SLMSpecialist " + target.specialist + " " + phase + (why == null ? "" : ": " + why));
        }
        if (adapter != null) {
            Optional<AdapterStatus> adapterStatus = status.adapters.stream().filter(a -> adapter.equals(a.name)).findFirst();
            if (adapterStatus.isEmpty() || adapterStatus.get().state != AdapterStatus.State.Mounted) {
                String state = adapterStatus.map(a -> "is " + a.state + (a.message == null ? "" : ": " + a.message))
                        .orElse("has no state yet");
                return new ResolvedTarget(task, target.specialist, adapter, weight, false, endpoint, model,
                        ResolvedTarget.ADAPTER_NOT_MOUNTED, "adapter " + adapter + " of SLMSpecialist " + target.specialist
                                + " " + state);
            }
        }
        return new ResolvedTarget(task, target.specialist, adapter, weight, true, endpoint, model, null, null);
    }

    private static List<RoutingTable.Target> tableTargets(List<ResolvedTarget> targets) {
        List<Integer> effective = Weights.redistribute(targets.stream().map(ResolvedTarget::weight).toList(),
                targets.stream().map(ResolvedTarget::ready).toList());
        List<RoutingTable.Target> table = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ResolvedTarget target = targets.get(i);
            if (effective.get(i) > 0) {
                table.add(new RoutingTable.Target(target.specialist(), target.adapter(), target.endpoint(), target.model(),
                        effective.get(i)));
            }
        }
        return table;
    }

    private static RoutingTable.Fallback fallback(FallbackSpec fallback) {
        if (fallback == null) {
            return null;
        }
        // Empty means every reason; listed reasons go in enum order, so the table does not depend on the spec's order.
        List<FallbackReason> on = Arrays.stream(FallbackReason.values())
                .filter(reason -> fallback.triggers == null || fallback.triggers.isEmpty()
                        || fallback.triggers.stream().anyMatch(listed -> listed.name().equals(reason.name())))
                .toList();
        return new RoutingTable.Fallback(fallback.endpoint, fallback.model,
                fallback.apiKeySecret == null ? null : RouterContract.FALLBACK_API_KEY_ENV, on);
    }

    private static RoutingTable.UsageCapture usageCapture(UsageCaptureSpec capture) {
        if (capture == null || !Boolean.TRUE.equals(capture.enabled)) {
            return RoutingTable.UsageCapture.DISABLED;
        }
        return new RoutingTable.UsageCapture(true, capture.sampleRate == null ? 0 : capture.sampleRate,
                !Boolean.FALSE.equals(capture.redactPII), RouterContract.USAGE_DIRECTORY);
    }

    /** A duration of the route spec's pattern (a number and ms, s or m) in milliseconds, rounded up. */
    static long timeoutMillis(String duration) {
        Matcher matcher = DURATION.matcher(String.valueOf(duration));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + duration);
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        BigDecimal millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount.multiply(BigDecimal.valueOf(1000));
            default -> amount.multiply(BigDecimal.valueOf(60_000));
        };
        return millis.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
