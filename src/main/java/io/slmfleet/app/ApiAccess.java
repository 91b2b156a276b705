package io.slmfleet.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.agentroute.AgentRouteReconciler;
import io.slmfleet.common.ApiUse;
import io.slmfleet.curationjob.CurationJobReconciler;
import io.slmfleet.evaluationjob.EvaluationJobReconciler;
import io.slmfleet.finetunejob.FineTuneJobReconciler;
import io.slmfleet.slmspecialist.SLMSpecialistReconciler;

/**
 * The Kubernetes API access the operator needs, derived from what each reconciler declares it applies, watches and
 * reads (the same lists its informers are built from). The Helm chart's RBAC is tested against this, so neither can
 * grant more or less than the code uses.
 */
public final class ApiAccess {

    static final List<String> PRIMARY = List.of("get", "list", "watch");
    static final List<String> STATUS = List.of("patch");
    /** Server-side apply patches, and needs create as well when the object does not exist yet. */
    static final List<String> APPLIED = List.of("create", "patch");
    static final List<String> DELETED = List.of("delete");
    static final List<String> WATCHED = List.of("get", "list", "watch");
    static final List<String> READ = List.of("get");
    static final List<String> LISTED = List.of("list");
    /** Children's owner references set blockOwnerDeletion, which clusters enforcing owner permissions check this for. */
    static final List<String> FINALIZERS = List.of("update");
    /** Recorded, and a repeat counted on the Event already recorded (EventRecorder). */
    static final List<String> EVENTS = List.of("create", "patch");

    /** One RBAC rule: an API group, a resource (or subresource, e.g. slmspecialists/status) and verbs. */
    public record Rule(String apiGroup, String resource, List<String> verbs) {
    }

    private ApiAccess() {
    }

    /** The rules for namespaced resources in every watched namespace, in a stable order, one rule per resource. */
    public static List<Rule> required() {
        Map<String, Set<String>> verbs = new LinkedHashMap<>();
        for (ApiUse use : List.of(SLMSpecialistReconciler.API_USE, FineTuneJobReconciler.API_USE,
                AgentRouteReconciler.API_USE, CurationJobReconciler.API_USE, EvaluationJobReconciler.API_USE)) {
            controller(verbs, use);
        }
        grant(verbs, Event.class, "", EVENTS);
        List<Rule> rules = new ArrayList<>();
        verbs.forEach((key, granted) -> {
            String[] groupAndResource = key.split(" ", 2);
            rules.add(new Rule(groupAndResource[0], groupAndResource[1], List.copyOf(granted)));
        });
        return rules;
    }

    private static void controller(Map<String, Set<String>> verbs, ApiUse use) {
        grant(verbs, use.primary(), "", PRIMARY);
        grant(verbs, use.primary(), "/status", STATUS);
        grant(verbs, use.primary(), "/finalizers", FINALIZERS);
        use.watched().forEach(kind -> grant(verbs, kind, "", WATCHED));
        use.read().forEach(kind -> grant(verbs, kind, "", READ));
        use.listed().forEach(kind -> grant(verbs, kind, "", LISTED));
        use.applied().forEach(kind -> grant(verbs, kind, "", APPLIED));
        use.deleted().forEach(kind -> grant(verbs, kind, "", DELETED));
    }

    private static void grant(Map<String, Set<String>> verbs, Class<? extends HasMetadata> kind, String subresource,
            List<String> granted) {
        String key = HasMetadata.getGroup(kind) + " " + HasMetadata.getPlural(kind) + subresource;
        verbs.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(granted);
    }
}
