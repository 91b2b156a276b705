package io.slmfleet.finetunejob;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;

/**
 * NVIDIA NeMo 2 (NeMo Framework container 25.07, NeMo 2.4): imports the Hugging Face weights into a NeMo checkpoint
 * ({@code llm.import_ckpt}), runs the model's LoRA fine-tuning recipe ({@code llm.<model>.finetune_recipe(peft_scheme=
 * "lora")}) with this run's data and hyperparameters through NeMo-Run, and exports the adapter to Hugging Face PEFT
 * format ({@code llm.peft.export_lora}). NeMo has no 4-bit (QLoRA) path: the CRD's CEL rule rejects nemo with qlora.
 * Recipes are per model, so this preset knows the models below.
 */
final class NemoPreset implements TrainerPreset {

    /** A NeMo 2 recipe module of nemo.collections.llm and the model config class its import needs. */
    record Recipe(String factory, String modelConfig) {
    }

    static final Map<String, Recipe> RECIPES = Map.of(
            "meta/llama-3.2-1b-instruct", new Recipe("llama32_1b", "Llama32Config1B"),
            "meta/llama-3.2-3b-instruct", new Recipe("llama32_3b", "Llama32Config3B"),
            "meta/llama-3.1-8b-instruct", new Recipe("llama31_8b", "Llama31Config8B"));

    /** Hugging Face module names onto Megatron's fused layers. */
    private static final Map<String, String> MODULES = Map.of(
            "q_proj", "linear_qkv",
            "k_proj", "linear_qkv",
            "v_proj", "linear_qkv",
            "o_proj", "linear_proj",
            "gate_proj", "linear_fc1",
            "up_proj", "linear_fc1",
            "down_proj", "linear_fc2");

    /**
     * The NeMo 2 program: argv = recipe factory, model config class, weights source, target modules (comma separated,
     * empty for the recipe's default). Hyperparameters come from the training configuration file.
     */
    private static final String PROGRAM = """
            import glob, json, math, os, shutil, sys
            from pathlib import Path

            import nemo_run as run
            from nemo.collections import llm
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

            factory, model_config, source, modules = sys.argv[1:5]
            with open(os.environ["SLMFLEET_CONFIG"]) as f:
                config = json.load(f)
            hyper = config["hyperparameters"]
            gpus = config["gpu"]["count"]
            scratch, run_dir, stage = Path(os.environ["SCRATCH"]), Path(os.environ["RUN"]), Path(os.environ["STAGE"])
            dataset = scratch / "dataset"

            def count(path):
                with open(path) as f:
                    return sum(1 for line in f if line.strip())

            base = scratch / "nemo-base"
            llm.import_ckpt(model=llm.LlamaModel(getattr(llm, model_config)()), source=source, output_path=base)

            # One loss rule: with trainOn assistant, NeMo's chat path would train on every token (it masks only for chat
            # templates with generation marks, which Llama's lack). So each assistant turn becomes a prompt (the
            # conversation before it, through the model's chat template) and its completion, and FineTuningDataModule
            # computes the loss on the completion only (answer_only_loss).
            chat = config["dataset"]["format"] == "chat"
            train_on = hyper["trainOn"]
            if chat and train_on == "assistant":
                from transformers import AutoTokenizer
                tokenizer = AutoTokenizer.from_pretrained(source[len("hf://"):])
                for name in ("training.jsonl", "validation.jsonl"):
                    turns = []
                    with open(dataset / name) as f:
                        for line in f:
                            if not line.strip():
                                continue
                            example = json.loads(line)
                            messages, tools = example["messages"], example.get("tools")
                            for k in range(1, len(messages)):
                                if messages[k]["role"] != "assistant":
                                    continue
                                prompt = tokenizer.apply_chat_template(messages[:k], tools=tools, add_generation_prompt=True,
                                                                       tokenize=False)
                                whole = tokenizer.apply_chat_template(messages[:k + 1], tools=tools, tokenize=False)
                                if not whole.startswith(prompt):
                                    sys.exit("the chat template does not extend a conversation with its answer: "
                                             "set hyperparameters.trainOn to all for the nemo preset")
                                turns.append({"prompt": prompt, "completion": whole[len(prompt):]})
                    with open(dataset / name, "w") as f:
                        f.writelines(json.dumps(turn) + "\\n" for turn in turns)

            global_batch = hyper["batchSize"] * gpus
            steps_per_epoch = max(1, math.ceil(count(dataset / "training.jsonl") / global_batch))
            max_steps = steps_per_epoch * hyper["epochs"]
            recipe = getattr(llm, factory).finetune_recipe(dir=str(run_dir), name="slmfleet", num_nodes=1,
                                                           num_gpus_per_node=gpus, peft_scheme="lora",
                                                           seq_length=hyper["maxSeqLength"])
            recipe.resume.restore_config.path = str(base)
            data = dict(dataset_root=str(dataset), seq_length=hyper["maxSeqLength"], micro_batch_size=1,
                        global_batch_size=global_batch)
            if chat and train_on == "all":
                recipe.data = run.Config(llm.ChatDataModule, use_hf_tokenizer_chat_template=True, **data)
            else:
                recipe.data = run.Config(llm.FineTuningDataModule, dataset_kwargs={
                    "label_key": "completion", "truncation_field": "prompt", "answer_only_loss": train_on == "assistant",
                    "prompt_template": "{prompt}{completion}" if chat else "{prompt} {completion}"}, **data)
            recipe.peft.dim = hyper["rank"]
            recipe.peft.alpha = hyper["alpha"]
            recipe.peft.dropout = hyper["dropout"]
            if modules:
                recipe.peft.target_modules = modules.split(",")
            recipe.optim.config.lr = hyper["learningRate"]
            recipe.optim.lr_scheduler.max_steps = max_steps
            recipe.optim.lr_scheduler.warmup_steps = max(1, min(50, max_steps // 10))
            recipe.trainer.max_steps = max_steps
            recipe.trainer.val_check_interval = steps_per_epoch
            # The recipe checkpoints every 50 steps; NeMo's on_train_end saves "-last" only when the final step is not a
            # multiple of val_check_interval, so with max_steps = epochs x steps_per_epoch the last steps were never
            # saved. Checkpointing at every epoch's end (a divisor of max_steps) saves the final step.
            recipe.log.ckpt.every_n_train_steps = steps_per_epoch
            run.run(recipe, executor=run.LocalExecutor(ntasks_per_node=gpus, launcher="torchrun"), name="slmfleet")

            last = sorted(glob.glob(str(run_dir / "**" / "checkpoints" / "*-last"), recursive=True))
            if not last:
                sys.exit("NeMo finished without a last checkpoint under " + str(run_dir))
            # Never publish an adapter of an earlier step: the checkpoint's name carries its step ("...-step=N-...").
            saved = [int(float(part[len("step="):])) for part in Path(last[-1]).name.split("-") if part.startswith("step=")]
            if saved != [max_steps]:
                sys.exit("NeMo's last checkpoint " + last[-1] + " is not of the final step " + str(max_steps))
            llm.peft.export_lora(lora_checkpoint_path=last[-1], output_path=str(run_dir / "hf-peft"))
            for name in ("adapter_config.json", "adapter_model.safetensors"):
                shutil.copy(run_dir / "hf-peft" / name, stage / name)

            values = {}
            for path in sorted(glob.glob(str(run_dir / "**" / "events.out.tfevents.*"), recursive=True)):
                events = EventAccumulator(path)
                events.Reload()
                for tag in ("reduced_train_loss", "val_loss"):
                    if tag in events.Tags().get("scalars", []):
                        values[tag] = events.Scalars(tag)[-1]
            summary = {"trainLoss": values["reduced_train_loss"].value if "reduced_train_loss" in values else None,
                       "evalLoss": values["val_loss"].value if "val_loss" in values else None,
                       "epochsCompleted": hyper["epochs"]}
            with open(os.environ["SUMMARY"], "w") as f:
                json.dump({k: v for k, v in summary.items() if isinstance(v, (int, float)) and math.isfinite(v)}, f)
            """;

    @Override
    public String defaultImage(FineTuneSettings settings) {
        return settings.nemoImage();
    }

    @Override
    public Optional<String> unsupported(FineTuneJobSpec spec, String image) {
        if (spec.method == FineTuneJobSpec.Method.qlora) {
            return Optional.of("the nemo preset has no 4-bit (QLoRA) path: use method lora, or the trl or torchtune preset");
        }
        Optional<String> source = TrainerPreset.unsupportedSource(spec, "nemo");
        if (source.isPresent()) {
            return source;
        }
        if (!RECIPES.containsKey(spec.baseModel.name)) {
            return Optional.of("the nemo preset has recipes for " + String.join(", ", RECIPES.keySet().stream().sorted().toList())
                    + ", not for " + spec.baseModel.name + "; use the trl preset (any Hugging Face causal LM)");
        }
        if (spec.dataset.curationJob == null && spec.dataset.validationSplit == 0) {
            return Optional.of("NeMo validates while it trains: set dataset.validationSplit above 0 for the nemo preset");
        }
        List<String> unknown = spec.hyperparameters.targetModules.stream().filter(m -> !MODULES.containsKey(m)).toList();
        if (!unknown.isEmpty()) {
            return Optional.of("NeMo's LoRA attaches to q_proj, k_proj, v_proj (fused as linear_qkv), o_proj, gate_proj, "
                    + "up_proj and down_proj, not to " + String.join(", ", unknown));
        }
        return Optional.empty();
    }

    @Override
    public String trainingSteps(FineTuneJob job) {
        FineTuneJobSpec spec = job.getSpec();
        Recipe recipe = RECIPES.get(spec.baseModel.name);
        String source = spec.baseModel.source.volume != null ? "hf://" + Layout.MODEL_DIR : spec.baseModel.source.uri;
        Set<String> modules = new LinkedHashSet<>();
        spec.hyperparameters.targetModules.forEach(module -> modules.add(MODULES.get(module)));
        return """
                # Train: NeMo 2 LoRA recipe %s (weights imported from %s), adapter exported to PEFT format.
                # NeMo's fine-tuning data module reads training.jsonl and validation.jsonl.
                mv "$SCRATCH/dataset/train.jsonl" "$SCRATCH/dataset/training.jsonl"
                [ -s "$SCRATCH/dataset/validation.jsonl" ] || configuration_error "the dataset is too small for a validation split"
                cat > "$SCRATCH/finetune_nemo.py" <<'PY'
                %sPY
                step python3 "$SCRATCH/finetune_nemo.py" %s %s %s %s
                """.formatted(recipe.factory(), source, PROGRAM, recipe.factory(), recipe.modelConfig(), Shell.quote(source),
                Shell.quote(String.join(",", modules)));
    }
}
