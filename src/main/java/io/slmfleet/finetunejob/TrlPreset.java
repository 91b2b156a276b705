package io.slmfleet.finetunejob;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.slmfleet.api.v1alpha1.DatasetSpec;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;
import io.slmfleet.api.v1alpha1.HyperparametersSpec;

/**
 * Hugging Face TRL's {@code trl sft} (any causal LM of the Hub), with PEFT LoRA; QLoRA loads the base weights in 4 bits
 * through bitsandbytes ({@code --load_in_4bit}, NF4 with nested quantization). Flags as in TRL 1.8 (ScriptArguments,
 * SFTConfig, ModelConfig); more than one GPU is passed on to accelerate as {@code --num_processes}.
 */
final class TrlPreset implements TrainerPreset {

    /**
     * Images known to lack bitsandbytes, which --load_in_4bit needs: the official image's Dockerfile
     * (huggingface/trl v1.8.0, docker/trl/Dockerfile) installs trl[liger,peft,vlm], and bitsandbytes is only in TRL's
     * quantization extra (pyproject.toml). Other images are checked when the pod starts, before the model is loaded.
     */
    static final Set<String> IMAGES_WITHOUT_BITSANDBYTES = Set.of("huggingface/trl:1.8.0");

    /** Reads the trainer state of the last checkpoint (saved each epoch) and prints the one-line summary. */
    private static final String SUMMARY_PROGRAM = """
            import glob, json, math, os, sys

            def last(history, key):
                values = [entry[key] for entry in history if key in entry]
                return values[-1] if values else None

            states = glob.glob(os.path.join(sys.argv[1], "checkpoint-*", "trainer_state.json"))
            state = {}
            if states:
                latest = max(states, key=lambda path: int(path.split("checkpoint-")[-1].split(os.sep)[0]))
                with open(latest) as f:
                    state = json.load(f)
            history = state.get("log_history", [])
            summary = {"trainLoss": last(history, "loss"), "evalLoss": last(history, "eval_loss"),
                       "epochsCompleted": state.get("epoch")}
            print(json.dumps({k: v for k, v in summary.items() if isinstance(v, (int, float)) and math.isfinite(v)}))
            """;

    @Override
    public String defaultImage(FineTuneSettings settings) {
        return settings.trlImage();
    }

    @Override
    public Optional<String> unsupported(FineTuneJobSpec spec, String image) {
        if (spec.method == FineTuneJobSpec.Method.qlora && IMAGES_WITHOUT_BITSANDBYTES.contains(image)) {
            return Optional.of("QLoRA loads the base weights in 4 bits through bitsandbytes, which " + image
                    + " does not ship (it installs trl[liger,peft,vlm]; bitsandbytes is TRL's quantization extra): set "
                    + "trainer.image to an image with bitsandbytes (e.g. built FROM " + image
                    + " with pip install bitsandbytes), or use method lora, or the torchtune preset (QLoRA through torchao)");
        }
        return TrainerPreset.unsupportedSource(spec, "trl");
    }

    @Override
    public String trainingSteps(FineTuneJob job) {
        FineTuneJobSpec spec = job.getSpec();
        HyperparametersSpec hyper = spec.hyperparameters;
        String model = spec.baseModel.source.volume != null ? Layout.MODEL_DIR : Layout.huggingFaceRepo(spec.baseModel.source);
        List<String> arguments = new ArrayList<>(List.of(
                "--model_name_or_path " + Shell.quote(model),
                "--dataset_name \"$SCRATCH/dataset\"",
                "--dataset_train_split train",
                "--use_peft",
                "--lora_r " + hyper.rank,
                "--lora_alpha " + hyper.alpha,
                "--lora_dropout " + Shell.number(hyper.dropout)));
        if (!hyper.targetModules.isEmpty()) {
            arguments.add("--lora_target_modules " + Shell.quoteAll(hyper.targetModules));
        }
        arguments.addAll(List.of(
                "--num_train_epochs " + hyper.epochs,
                "--learning_rate " + Shell.number(hyper.learningRate),
                "--per_device_train_batch_size " + hyper.batchSize,
                "--gradient_accumulation_steps 1",
                "--max_length " + hyper.maxSeqLength,
                "--dtype bfloat16"));
        arguments.addAll(lossArguments(spec));
        if (spec.method == FineTuneJobSpec.Method.qlora) {
            arguments.addAll(List.of("--load_in_4bit", "--bnb_4bit_quant_type nf4", "--use_bnb_nested_quant"));
        }
        arguments.addAll(List.of(
                "--save_strategy epoch",
                "--save_total_limit 1",
                "--logging_steps 10",
                "--report_to none",
                "--output_dir \"$RUN\""));
        if (spec.gpu.count > 1) {
            arguments.add("--num_processes " + spec.gpu.count);
        }
        String preflight = spec.method != FineTuneJobSpec.Method.qlora ? "" : """
                # QLoRA needs bitsandbytes: an image without it fails here, in seconds, not after the model download.
                python3 -c 'import bitsandbytes' 2>/dev/null || configuration_error "QLoRA needs bitsandbytes, which this image does not have: use an image with it (pip install bitsandbytes), or method lora"
                """;
        return preflight + """
                # Train: TRL supervised fine-tuning with a LoRA adapter%s.
                set -- trl sft \\
                    %s
                if [ -s "$SCRATCH/dataset/validation.jsonl" ]; then
                  set -- "$@" --dataset_test_split validation --eval_strategy epoch --per_device_eval_batch_size %d
                fi
                step "$@"
                cp "$RUN/adapter_config.json" "$RUN/adapter_model.safetensors" "$STAGE/"
                python3 - "$RUN" > "$SUMMARY" <<'PY'
                %sPY
                """.formatted(
                spec.method == FineTuneJobSpec.Method.qlora ? " on 4-bit (NF4) base weights (QLoRA)" : "",
                String.join(" \\\n    ", arguments),
                hyper.batchSize,
                SUMMARY_PROGRAM);
    }

    /**
     * The loss rule in TRL 1.8.0's SFTConfig terms (trl/trainer/sft_config.py): assistant_only_loss (chat; TRL swaps in a
     * training chat template with generation marks for the model families it knows) and completion_only_loss (on by
     * default for prompt-completion data).
     */
    private static List<String> lossArguments(FineTuneJobSpec spec) {
        boolean chat = spec.dataset.format == DatasetSpec.Format.chat;
        if (spec.hyperparameters.trainOn == HyperparametersSpec.TrainOn.assistant) {
            return chat ? List.of("--assistant_only_loss") : List.of();
        }
        return chat ? List.of() : List.of("--completion_only_loss False");
    }
}
