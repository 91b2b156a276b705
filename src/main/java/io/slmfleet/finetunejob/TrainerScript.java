package io.slmfleet.finetunejob;

import io.slmfleet.api.v1alpha1.DatasetSpec;
import io.slmfleet.api.v1alpha1.FineTuneJob;

/**
 * The wrapper every training container runs ({@code /bin/sh -c <script>}): it refuses to overwrite a published
 * adapter, prepares the dataset, runs the preset's training steps into a temporary directory on the output volume,
 * checks the adapter files, renames the adapter into place (atomic on one filesystem, so a NIM rescanning the folder
 * never loads half an adapter) and writes the one-line JSON summary to the termination log. Exit code 2 means a
 * configuration error, which the Job's pod failure policy does not retry.
 */
public final class TrainerScript {

    private static final String HEADER = """
            #!/bin/sh
            # SLM Fleet trainer wrapper: FineTuneJob {{NAMESPACE}}/{{NAME}}, {{PRESET}} preset (docs/finetune.md).
            set -eu

            CONFIG={{CONFIG}}
            OUTPUT={{OUTPUT}}
            SCRATCH={{SCRATCH}}
            TERMINATION_LOG={{TERMINATION_LOG}}
            CONFIGURATION_ERROR={{CONFIGURATION_ERROR}}
            ADAPTER={{ADAPTER}}

            FINAL="$OUTPUT/$ADAPTER"
            WORK="$OUTPUT/.tmp-$ADAPTER-$POD_UID"
            RUN="$WORK/run"
            STAGE="$WORK/adapter"
            SUMMARY="$SCRATCH/summary.json"
            export SCRATCH RUN STAGE SUMMARY

            # Bad input: exit 2 fails the Job at once (pod failure policy), as retrying cannot fix it.
            configuration_error() {
              echo "configuration error: $*" >&2
              printf 'configuration error: %s\\n' "$*" > "$TERMINATION_LOG"
              exit "$CONFIGURATION_ERROR"
            }

            # Runs a long step in the background, so that SIGTERM (deadline, deletion) reaches it and the cleanup runs.
            step() {
              "$@" &
              STEP_PID=$!
              wait "$STEP_PID"
            }
            trap 'rm -rf "$WORK"' EXIT
            trap '[ -z "${STEP_PID:-}" ] || kill -TERM "$STEP_PID" 2>/dev/null; exit 143' TERM INT

            [ ! -e "$FINAL" ] || configuration_error "$FINAL already exists: a published adapter is never overwritten; choose another output.adapterName"
            # What earlier attempts of this run left behind (a pod UID is 36 characters).
            rm -rf "$OUTPUT/.tmp-$ADAPTER-"????????-????-????-????-????????????
            mkdir -p "$RUN" "$STAGE" "$HOME"
            """;

    private static final String PREPARE_DATASET = """

            # Dataset: a JSON Lines file (or a directory of them), split into training and validation examples.
            DATASET={{DATASET}}
            {{DOWNLOAD}}if [ -d "$DATASET" ]; then
              set -- $(find "$DATASET" -name '*.jsonl' | sort)
            else
              set -- "$DATASET"
            fi
            [ "$#" -gt 0 ] && [ -f "$1" ] || configuration_error "no JSON Lines file at $DATASET"
            {{CHECK}}mkdir -p "$SCRATCH/dataset"
            cat "$@" | awk -v share={{SPLIT}} -v train="$SCRATCH/dataset/train.jsonl" -v validation="$SCRATCH/dataset/validation.jsonl" \\
              'NF { n++; if (int(n * share) > int((n - 1) * share)) print > validation; else print > train }'
            [ -s "$SCRATCH/dataset/train.jsonl" ] || configuration_error "the dataset at $DATASET has no training examples"
            {{CONVERT}}""";

    private static final String PREPARE_CURATED_DATASET = """

            # Dataset: the data set of CurationJob {{CURATION_JOB}}, already split into training and validation examples.
            DATASET={{DATASET}}
            [ -s "$DATASET/train.jsonl" ] || configuration_error "no training examples at $DATASET/train.jsonl"
            mkdir -p "$SCRATCH/dataset"
            cp "$DATASET/train.jsonl" "$SCRATCH/dataset/train.jsonl"
            [ ! -f "$DATASET/validation.jsonl" ] || cp "$DATASET/validation.jsonl" "$SCRATCH/dataset/validation.jsonl"
            {{CHECK}}{{CONVERT}}""";

    private static final String DOWNLOAD = """
            step python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' {{URL}} "$DATASET"
            """;

    private static final String PUBLISH = """

            # Publish: check the adapter, then rename it into place; never over an existing adapter.
            for file in adapter_config.json adapter_model.safetensors; do
              [ -s "$STAGE/$file" ] || { echo "training ended without $file" >&2; exit 1; }
            done
            cp "$CONFIG" "$STAGE/slmfleet-finetune.json"
            [ -s "$SUMMARY" ] || echo '{}' > "$SUMMARY"
            [ ! -e "$FINAL" ] || configuration_error "$FINAL appeared while training: a published adapter is never overwritten"
            mv -T "$STAGE" "$FINAL"
            tr -d '\\n' < "$SUMMARY" > "$TERMINATION_LOG"
            echo "adapter $ADAPTER published at $FINAL"
            """;

    private TrainerScript() {
    }

    public static String render(FineTuneJob job) {
        TrainerPreset preset = TrainerPreset.of(job.getSpec().trainer.preset);
        StringBuilder script = new StringBuilder(HEADER
                .replace("{{NAMESPACE}}", job.getMetadata().getNamespace())
                .replace("{{NAME}}", job.getMetadata().getName())
                .replace("{{PRESET}}", job.getSpec().trainer.preset.name())
                .replace("{{CONFIG}}", Layout.CONFIG_FILE)
                .replace("{{OUTPUT}}", Layout.OUTPUT_DIR)
                .replace("{{SCRATCH}}", Layout.SCRATCH_DIR)
                .replace("{{TERMINATION_LOG}}", Layout.TERMINATION_LOG)
                .replace("{{CONFIGURATION_ERROR}}", String.valueOf(Layout.CONFIGURATION_ERROR_EXIT_CODE))
                .replace("{{ADAPTER}}", Shell.quote(job.getSpec().output.adapterName)));
        if (preset.preparesDataset()) {
            script.append(TrainingData.install());
            script.append(prepareDataset(job));
        }
        script.append("\n").append(preset.trainingSteps(job));
        script.append(PUBLISH);
        return script.toString();
    }

    private static String prepareDataset(FineTuneJob job) {
        DatasetSpec dataset = job.getSpec().dataset;
        String path = Layout.datasetPath(dataset);
        if (dataset.curationJob != null) {
            // the curated files are checked as copied, so a line number is the CurationJob's own
            return PREPARE_CURATED_DATASET
                    .replace("{{CURATION_JOB}}", dataset.curationJob)
                    .replace("{{DATASET}}", Shell.quote(path))
                    .replace("{{CHECK}}", TrainingData.check(job, "\"$SCRATCH/dataset/\"*.jsonl"))
                    .replace("{{CONVERT}}", TrainingData.convert(job));
        }
        String download = "";
        if (path == null) {
            path = "$SCRATCH/download.jsonl";
            download = DOWNLOAD.replace("{{URL}}", Shell.quote(dataset.uri));
        }
        return PREPARE_DATASET
                .replace("{{DATASET}}", path.startsWith("$") ? "\"" + path + "\"" : Shell.quote(path))
                .replace("{{DOWNLOAD}}", download)
                .replace("{{SPLIT}}", Shell.number(dataset.validationSplit))
                .replace("{{CHECK}}", TrainingData.check(job, "\"$@\""))
                .replace("{{CONVERT}}", TrainingData.convert(job));
    }
}
