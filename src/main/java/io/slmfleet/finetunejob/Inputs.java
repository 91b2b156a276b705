package io.slmfleet.finetunejob;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;

/**
 * Checks, with one GET each, that the objects a FineTuneJob references exist before its Job is created: a Job whose
 * pod cannot mount its volumes would hang in ContainerCreating, holding a GPU quota, with no clear reason.
 * Secrets are looked at by key name only; their values are never read.
 */
final class Inputs {

    /** A missing input: the condition reason and a sentence for the user. */
    record Missing(String reason, String message) {
    }

    private final KubernetesClient client;

    Inputs(KubernetesClient client) {
        this.client = client;
    }

    List<Missing> missing(FineTuneJob job) {
        String namespace = job.getMetadata().getNamespace();
        FineTuneJobSpec spec = job.getSpec();
        List<Missing> missing = new ArrayList<>();
        if (spec.dataset.volume != null && claimMissing(namespace, spec.dataset.volume.claimName)) {
            missing.add(new Missing("DatasetNotFound", "dataset claim " + spec.dataset.volume.claimName + " not found"));
        }
        if (spec.dataset.configMap != null) {
            ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(spec.dataset.configMap.name).get();
            if (configMap == null) {
                missing.add(new Missing("DatasetNotFound", "dataset ConfigMap " + spec.dataset.configMap.name + " not found"));
            } else if (!hasKey(configMap.getData(), spec.dataset.configMap.key)
                    && !hasKey(configMap.getBinaryData(), spec.dataset.configMap.key)) {
                missing.add(new Missing("DatasetNotFound", "dataset ConfigMap " + spec.dataset.configMap.name + " has no key "
                        + spec.dataset.configMap.key));
            }
        }
        if (spec.baseModel.source.volume != null && claimMissing(namespace, spec.baseModel.source.volume.claimName)) {
            missing.add(new Missing("BaseModelNotFound", "base model claim " + spec.baseModel.source.volume.claimName
                    + " not found"));
        }
        if (spec.baseModel.credentialsSecret != null) {
            Secret secret = client.secrets().inNamespace(namespace).withName(spec.baseModel.credentialsSecret.name).get();
            if (secret == null) {
                missing.add(new Missing("SecretNotFound", "Secret " + spec.baseModel.credentialsSecret.name
                        + " (base model credentials) not found"));
            } else if (!hasKey(secret.getData(), spec.baseModel.credentialsSecret.key)
                    && !hasKey(secret.getStringData(), spec.baseModel.credentialsSecret.key)) {
                missing.add(new Missing("SecretNotFound", "Secret " + spec.baseModel.credentialsSecret.name + " has no key "
                        + spec.baseModel.credentialsSecret.key));
            }
        }
        if (claimMissing(namespace, spec.output.volume.claimName)) {
            missing.add(new Missing("OutputVolumeNotFound", "output claim " + spec.output.volume.claimName + " not found"));
        }
        return missing;
    }

    private boolean claimMissing(String namespace, String claim) {
        return client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null;
    }

    private static boolean hasKey(Map<String, String> entries, String key) {
        return Optional.ofNullable(entries).map(map -> map.containsKey(key)).orElse(false);
    }
}
