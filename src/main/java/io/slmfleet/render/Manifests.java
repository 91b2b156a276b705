package io.slmfleet.render;

import java.util.List;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/** Reads and writes multi-document YAML manifests, with the SLM Fleet kinds known as their Java types. */
public final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        SERIALIZATION.registerKubernetesResource(SLMSpecialist.class);
        SERIALIZATION.registerKubernetesResource(FineTuneJob.class);
        SERIALIZATION.registerKubernetesResource(AgentRoute.class);
        SERIALIZATION.registerKubernetesResource(CurationJob.class);
        SERIALIZATION.registerKubernetesResource(EvaluationJob.class);
    }

    private Manifests() {
    }

    /** Every object of a (possibly multi-document) YAML or JSON text. */
    public static List<HasMetadata> parse(String text) {
        Object parsed = SERIALIZATION.unmarshal(text);
        if (parsed == null) {
            return List.of();
        }
        if (parsed instanceof List<?> documents) {
            return documents.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).toList();
        }
        return parsed instanceof HasMetadata object ? List.of(object) : List.of();
    }

    public static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public static String toYaml(List<? extends HasMetadata> objects) {
        return objects.stream().map(SERIALIZATION::asYaml).collect(Collectors.joining());
    }
}
