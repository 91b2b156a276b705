package io.slmfleet.evaluationjob;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.common.Jobs;

/**
 * The evaluation pod's contract with the {@code evaluate} command (docs/evaluation.md): where it finds the data set,
 * the response schema and the output directory, the environment variables that carry the candidates' API keys, the
 * summary it leaves in its termination message, and the exit code that means "bad input, do not retry".
 */
public final class EvaluationLayout {

    public static final String CONTAINER = "evaluate";
    public static final String APP = "evaluation";
    public static final String COMMAND = "evaluate";
    public static final String DATASET_DIR = "/data";
    public static final String SCHEMA_DIR = "/schema";
    public static final String OUTPUT_DIR = "/output";
    public static final String REPORT_FILE = "report.jsonl";
    public static final String TERMINATION_LOG = "/dev/termination-log";

    /** Exit code of a failure a retry cannot fix (an empty data set, a missing key); the Job fails at once. */
    public static final int BAD_INPUT_EXIT_CODE = 2;

    private EvaluationLayout() {
    }

    /** {@code <name>-evaluate}, cut to fit a label value. */
    public static String jobName(HasMetadata job) {
        return Jobs.name(job, "-evaluate");
    }

    /** The variable kubelet fills from the n-th candidate's API key Secret (0-based, in the spec's order). */
    static String apiKeyVariable(int index) {
        return "CANDIDATE_" + index + "_API_KEY";
    }

    /** The report as a path inside the output claim, as status reports it. */
    static String reportInClaim(ClaimPath output) {
        return output.path == null || output.path.isEmpty() ? REPORT_FILE : output.path + "/" + REPORT_FILE;
    }

    /** A path inside a claim as the pod sees it under {@code mount}. */
    static String inPod(String mount, String path) {
        return path == null || path.isEmpty() ? mount : mount + "/" + path;
    }
}
