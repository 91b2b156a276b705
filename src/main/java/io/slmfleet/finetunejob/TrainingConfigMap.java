package io.slmfleet.finetunejob;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.curationjob.CurationLayout;

/**
 * The complete training configuration, {@code finetune.json}, mounted at /etc/slmfleet/finetune.json: what a trainer
 * reads, and the record of what was trained (a copy is published next to the adapter). It names the Secret a
 * credential comes from, never its value.
 */
public final class TrainingConfigMap {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingConfigMap() {
    }

    public static ConfigMap desired(FineTuneJob job, String image) {
        return DesiredState.stamped(new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(Layout.configMapName(job))
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(Labels.of(job, Layout.APP, "training-config"))
                    .withOwnerReferences(OwnerReferences.controlledBy(job))
                .endMetadata()
                .addToData(Layout.CONFIG_KEY, json(job, image))
                .build());
    }

    static String json(FineTuneJob job, String image) {
        FineTuneJobSpec spec = job.getSpec();
        ObjectNode root = JSON.createObjectNode();
        root.put("fineTuneJob", job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());

        ObjectNode baseModel = root.putObject("baseModel");
        baseModel.put("name", spec.baseModel.name);
        if (spec.baseModel.source.volume != null) {
            putVolume(baseModel, spec.baseModel.source.volume);
            baseModel.put("path", Layout.MODEL_DIR);
        } else {
            baseModel.put("uri", spec.baseModel.source.uri);
        }
        if (spec.baseModel.credentialsSecret != null) {
            ObjectNode credentials = baseModel.putObject("credentials");
            credentials.put("env", Layout.credentialsEnv(spec.baseModel.source));
            credentials.put("secretName", spec.baseModel.credentialsSecret.name);
            credentials.put("secretKey", spec.baseModel.credentialsSecret.key);
        }

        ObjectNode dataset = root.putObject("dataset");
        if (spec.dataset.volume != null) {
            putVolume(dataset, spec.dataset.volume);
        } else if (spec.dataset.configMap != null) {
            ObjectNode configMap = dataset.putObject("configMap");
            configMap.put("name", spec.dataset.configMap.name);
            configMap.put("key", spec.dataset.configMap.key);
        } else {
            dataset.put("uri", spec.dataset.uri);
        }
        String datasetPath = Layout.datasetPath(spec.dataset);
        if (datasetPath != null) {
            dataset.put("path", datasetPath);
        }
        if (spec.dataset.curationJob != null) {
            // Already split by the CurationJob: validationSplit does not apply.
            dataset.put("curationJob", spec.dataset.curationJob);
            dataset.put("trainFile", datasetPath + "/" + CurationLayout.TRAIN_FILE);
            dataset.put("validationFile", datasetPath + "/" + CurationLayout.VALIDATION_FILE);
        }
        dataset.put("format", spec.dataset.format == io.slmfleet.api.v1alpha1.DatasetSpec.Format.chat ? "chat" : "prompt-completion");
        if (spec.dataset.curationJob == null) {
            dataset.put("validationSplit", spec.dataset.validationSplit);
        }

        root.put("method", spec.method.name());
        ObjectNode hyper = root.putObject("hyperparameters");
        hyper.put("rank", spec.hyperparameters.rank);
        hyper.put("alpha", spec.hyperparameters.alpha);
        hyper.put("dropout", spec.hyperparameters.dropout);
        hyper.put("epochs", spec.hyperparameters.epochs);
        hyper.put("learningRate", spec.hyperparameters.learningRate);
        hyper.put("batchSize", spec.hyperparameters.batchSize);
        hyper.put("maxSeqLength", spec.hyperparameters.maxSeqLength);
        hyper.put("trainOn", spec.hyperparameters.trainOn.name());
        spec.hyperparameters.targetModules.forEach(hyper.putArray("targetModules")::add);

        ObjectNode gpu = root.putObject("gpu");
        gpu.put("count", spec.gpu.count);
        gpu.put("resourceName", spec.gpu.resourceName);
        if (spec.gpu.product != null && !spec.gpu.product.isEmpty()) {
            gpu.put("product", spec.gpu.product);
        }

        ObjectNode trainer = root.putObject("trainer");
        trainer.put("preset", spec.trainer.preset.name());
        trainer.put("image", image);
        if (!spec.trainer.command.isEmpty()) {
            spec.trainer.command.forEach(trainer.putArray("command")::add);
            spec.trainer.args.forEach(trainer.putArray("args")::add);
        }

        ObjectNode output = root.putObject("output");
        output.put("adapterName", spec.output.adapterName);
        output.put("claimName", spec.output.volume.claimName);
        output.put("path", Layout.OUTPUT_DIR + "/" + spec.output.adapterName);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the training configuration", e);
        }
    }

    private static void putVolume(ObjectNode node, ClaimPath volume) {
        ObjectNode claim = node.putObject("volume");
        claim.put("claimName", volume.claimName);
        if (volume.path != null) {
            claim.put("path", volume.path);
        }
    }
}
