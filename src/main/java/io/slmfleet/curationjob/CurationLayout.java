package io.slmfleet.curationjob;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.common.Jobs;

/**
 * The curation pod's contract with the {@code curate} command (docs/curation.md): where it finds the usage records and
 * writes the data set, the summary it leaves in its termination message, and the exit code that means "bad input, do
 * not retry".
 */
public final class CurationLayout {

    public static final String CONTAINER = "curate";
    public static final String APP = "curation";
    public static final String COMMAND = "curate";
    public static final String SOURCE_DIR = "/source";
    public static final String OUTPUT_DIR = "/output";
    public static final String TERMINATION_LOG = "/dev/termination-log";

    /** Exit code of a failure a retry cannot fix (no records, an existing data set); the Job fails at once. */
    public static final int BAD_INPUT_EXIT_CODE = 2;

    /** The data set's files, inside its output directory. */
    public static final String TRAIN_FILE = "train.jsonl";
    public static final String VALIDATION_FILE = "validation.jsonl";
    public static final String EVAL_FILE = "eval.jsonl";
    public static final String MANIFEST_FILE = "manifest.json";

    private CurationLayout() {
    }

    /** {@code <name>-curate}, cut to fit a label value. */
    public static String jobName(HasMetadata job) {
        return Jobs.name(job, "-curate");
    }

    /** A path inside a claim as the pod sees it under {@code mount}. */
    static String inPod(String mount, ClaimPath volume) {
        return volume.path == null || volume.path.isEmpty() ? mount : mount + "/" + volume.path;
    }

    /** A data set file as a path inside the output claim, as status reports it. */
    public static String inClaim(ClaimPath output, String file) {
        return output.path == null || output.path.isEmpty() ? file : output.path + "/" + file;
    }
}
