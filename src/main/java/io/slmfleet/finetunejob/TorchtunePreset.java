package io.slmfleet.finetunejob;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;
import io.slmfleet.api.v1alpha1.HyperparametersSpec;

/**
 * torchtune 0.6: {@code tune run lora_finetune_single_device --config <model>/<size>_lora_single_device} (QLoRA: the
 * {@code _qlora_single_device} config of the same recipe, NF4 base weights through torchao), or
 * {@code tune run --nproc_per_node N lora_finetune_distributed --config <model>/<size>_lora} on several GPUs; the
 * hyperparameters are key=value overrides. torchtune configs are per model, so this preset knows the models below;
 * its checkpointer writes the adapter in PEFT format (adapter_config.json, adapter_model.safetensors) per epoch.
 */
final class TorchtunePreset implements TrainerPreset {

    /** A torchtune config family: the directory of its configs, the size prefix, and the tokenizer inside the weights. */
    record Recipe(String configDirectory, String size, String tokenizerFile) {

        String config(boolean qlora, boolean distributed) {
            String kind = qlora ? "qlora" : "lora";
            return configDirectory + "/" + size + "_" + kind + (distributed ? "" : "_single_device");
        }
    }

    /** By the model id NIM serves (spec.baseModel.name); torchtune ships these configs for the instruct models. */
    static final Map<String, Recipe> RECIPES = Map.of(
            "meta/llama-3.2-1b-instruct", new Recipe("llama3_2", "1B", "original/tokenizer.model"),
            "meta/llama-3.2-3b-instruct", new Recipe("llama3_2", "3B", "original/tokenizer.model"),
            "meta/llama-3.1-8b-instruct", new Recipe("llama3_1", "8B", "original/tokenizer.model"));

    /** Hugging Face module names and what torchtune's LoRA builders call them (q/k/v keep their names). */
    private static final Set<String> ATTENTION = Set.of("q_proj", "k_proj", "v_proj");
    private static final Set<String> MLP = Set.of("gate_proj", "up_proj", "down_proj");

    /** Reads torchtune's DiskLogger lines ("Step 12 | loss:0.41 lr:..."), counts the saved epochs, prints the summary. */
    private static final String SUMMARY_PROGRAM = """
            import glob, json, math, os, re, sys

            losses = []
            for path in sorted(glob.glob(os.path.join(sys.argv[1], "logs", "*.txt"))):
                with open(path) as f:
                    for line in f:
                        match = re.search(r"\\bloss:([-+0-9.eE]+)", line)
                        if match:
                            losses.append(float(match.group(1)))
            summary = {"trainLoss": losses[-1] if losses else None,
                       "epochsCompleted": len(glob.glob(os.path.join(sys.argv[1], "epoch_*"))) or None}
            print(json.dumps({k: v for k, v in summary.items() if isinstance(v, (int, float)) and math.isfinite(v)}))
            """;

    @Override
    public String defaultImage(FineTuneSettings settings) {
        return settings.torchtuneImage();
    }

    @Override
    public Optional<String> unsupported(FineTuneJobSpec spec, String image) {
        Optional<String> source = TrainerPreset.unsupportedSource(spec, "torchtune");
        if (source.isPresent()) {
            return source;
        }
        if (!RECIPES.containsKey(spec.baseModel.name)) {
            return Optional.of("the torchtune preset has configs for " + String.join(", ", RECIPES.keySet().stream().sorted().toList())
                    + ", not for " + spec.baseModel.name + "; use the trl preset (any Hugging Face causal LM)");
        }
        if (spec.method == FineTuneJobSpec.Method.qlora && spec.gpu.count > 1) {
            return Optional.of("torchtune has no multi-GPU QLoRA config for " + spec.baseModel.name
                    + ": QLoRA with torchtune runs on one GPU (gpu.count: 1), or use the trl preset");
        }
        List<String> unknown = spec.hyperparameters.targetModules.stream()
                .filter(module -> !ATTENTION.contains(module) && !MLP.contains(module) && !"o_proj".equals(module))
                .toList();
        if (!unknown.isEmpty()) {
            return Optional.of("torchtune's LoRA attaches to q_proj, k_proj, v_proj, o_proj and the MLP (gate_proj, up_proj, "
                    + "down_proj), not to " + String.join(", ", unknown));
        }
        return Optional.empty();
    }

    @Override
    public String trainingSteps(FineTuneJob job) {
        FineTuneJobSpec spec = job.getSpec();
        HyperparametersSpec hyper = spec.hyperparameters;
        Recipe recipe = RECIPES.get(spec.baseModel.name);
        boolean distributed = spec.gpu.count > 1;
        boolean qlora = spec.method == FineTuneJobSpec.Method.qlora;
        String weights = spec.baseModel.source.volume != null ? Layout.MODEL_DIR : "$SCRATCH/model";

        StringBuilder steps = new StringBuilder();
        if (spec.baseModel.source.volume == null) {
            steps.append("""
                    # Base weights: downloaded from the Hugging Face Hub (HF_TOKEN from the referenced Secret, if any).
                    step tune download %s --output-dir "$SCRATCH/model" --ignore-patterns 'original/consolidated.00.pth'
                    """.formatted(Shell.quote(Layout.huggingFaceRepo(spec.baseModel.source))));
        }
        List<String> overrides = new ArrayList<>(List.of(
                "output_dir=\"$RUN\"",
                "checkpointer.checkpoint_dir=\"" + weights + "\"",
                "tokenizer.path=\"" + weights + "/" + recipe.tokenizerFile() + "\"",
                "tokenizer.max_seq_len=" + hyper.maxSeqLength,
                "save_adapter_weights_only=True",
                "model.lora_rank=" + hyper.rank,
                "model.lora_alpha=" + hyper.alpha,
                "model.lora_dropout=" + Shell.number(hyper.dropout)));
        overrides.addAll(targetModuleOverrides(hyper.targetModules));
        overrides.addAll(List.of(
                "epochs=" + hyper.epochs,
                "optimizer.lr=" + Shell.number(hyper.learningRate),
                "batch_size=" + hyper.batchSize,
                "gradient_accumulation_steps=1"));
        overrides.addAll(datasetOverrides(spec));
        String launcher = distributed
                ? "tune run --nproc_per_node " + spec.gpu.count + " lora_finetune_distributed"
                : "tune run lora_finetune_single_device";
        steps.append("""
                # Train: torchtune's LoRA recipe%s, the model's config with this run's values as overrides.
                # torchtune 0.6 has no validation loop in these recipes: it trains on the training split only.
                step %s --config %s \\
                    %s
                # The adapter of the last epoch, in PEFT format.
                LAST_EPOCH=$(ls -d "$RUN"/epoch_* | sort -V | tail -n 1)
                cp "$LAST_EPOCH/adapter_config.json" "$LAST_EPOCH/adapter_model.safetensors" "$STAGE/"
                python3 - "$RUN" > "$SUMMARY" <<'PY'
                %sPY
                """.formatted(
                qlora ? " on 4-bit (NF4) base weights (QLoRA)" : "",
                launcher,
                recipe.config(qlora, distributed),
                String.join(" \\\n    ", overrides),
                SUMMARY_PROGRAM));
        return steps.toString();
    }

    /** Hugging Face names onto torchtune's: o_proj is output_proj; any MLP projection turns LoRA on for the whole MLP. */
    private static List<String> targetModuleOverrides(List<String> targetModules) {
        if (targetModules.isEmpty()) {
            return List.of();
        }
        Set<String> attention = new LinkedHashSet<>();
        for (String module : targetModules) {
            if (ATTENTION.contains(module)) {
                attention.add(module);
            } else if ("o_proj".equals(module)) {
                attention.add("output_proj");
            }
        }
        boolean mlp = targetModules.stream().anyMatch(MLP::contains);
        return List.of(
                "model.lora_attn_modules=\"[" + String.join(",", attention) + "]\"",
                "model.apply_lora_to_mlp=" + (mlp ? "True" : "False"));
    }

    private static List<String> datasetOverrides(FineTuneJobSpec spec) {
        List<String> common = List.of(
                "dataset.source=json",
                "dataset.data_files=\"$SCRATCH/dataset/train.jsonl\"",
                "dataset.split=train");
        List<String> overrides = new ArrayList<>();
        if (spec.dataset.format == io.slmfleet.api.v1alpha1.DatasetSpec.Format.chat) {
            overrides.add("dataset._component_=torchtune.datasets.chat_dataset");
            overrides.addAll(common);
            overrides.add("dataset.conversation_column=messages");
            overrides.add("dataset.conversation_style=openai");
        } else {
            overrides.add("dataset._component_=torchtune.datasets.instruct_dataset");
            overrides.addAll(common);
            overrides.add("dataset.column_map.input=prompt");
            overrides.add("dataset.column_map.output=completion");
        }
        // torchtune masks everything but the assistant's turns (the completion) unless train_on_input
        if (spec.hyperparameters.trainOn == HyperparametersSpec.TrainOn.all) {
            overrides.add("dataset.train_on_input=True");
        }
        return overrides;
    }
}
