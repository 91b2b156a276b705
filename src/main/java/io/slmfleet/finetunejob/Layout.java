package io.slmfleet.finetunejob;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.api.v1alpha1.DatasetSpec;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.ModelSourceSpec;

/**
 * The trainer contract (docs/finetune.md): where a training pod finds its inputs and puts its output, the names of a
 * FineTuneJob's children, and the exit code that means "bad input, do not retry".
 */
public final class Layout {

    public static final String CONTAINER = "trainer";
    public static final String APP = "trainer";
    public static final String CONFIG_KEY = "finetune.json";
    public static final String CONFIG_DIR = "/etc/slmfleet";
    public static final String CONFIG_FILE = CONFIG_DIR + "/" + CONFIG_KEY;
    public static final String DATA_DIR = "/data";
    public static final String MODEL_DIR = "/model";
    public static final String OUTPUT_DIR = "/output";
    public static final String SCRATCH_DIR = "/scratch";
    public static final String TERMINATION_LOG = "/dev/termination-log";

    /** The wrapper's exit code for a configuration error; the Job's pod failure policy fails the Job on it at once. */
    public static final int CONFIGURATION_ERROR_EXIT_CODE = 2;

    /** Label on a training Job and its pods: which attempt of the FineTuneJob they are. */
    public static final String ATTEMPT_LABEL = "slmfleet.io/attempt";

    static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    static final long UID = 1000L;

    /** Longest Job name: the Job controller copies it into a label of every pod, and label values stop at 63. */
    private static final int MAX_JOB_NAME = 63;

    private Layout() {
    }

    public static String configMapName(HasMetadata job) {
        return job.getMetadata().getName() + "-config";
    }

    /** {@code <name>-<attempt>}; a long name is cut and told apart from its siblings by a hash of the whole name. */
    public static String jobName(HasMetadata job, int attempt) {
        String name = job.getMetadata().getName();
        String suffix = "-" + attempt;
        if (name.length() + suffix.length() <= MAX_JOB_NAME) {
            return name + suffix;
        }
        String hash = io.slmfleet.common.DesiredState.hash(name).substring(0, 8);
        String prefix = name.substring(0, MAX_JOB_NAME - suffix.length() - hash.length() - 1).replaceAll("[-.]+$", "");
        return prefix + "-" + hash + suffix;
    }

    /** Where the adapter is published, relative to the root of the output claim. */
    public static String adapterPath(FineTuneJob job) {
        return job.getSpec().output.adapterName;
    }

    /** The dataset as the training container sees it, or null when it is a remote URI the trainer reads itself. */
    static String datasetPath(DatasetSpec dataset) {
        if (dataset.volume != null) {
            return DATA_DIR + "/" + lastSegment(dataset.volume.path);
        }
        if (dataset.configMap != null) {
            return DATA_DIR + "/" + dataset.configMap.key;
        }
        return null;
    }

    static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A Hugging Face repository id ({@code hf://org/repo}), or null for another kind of source. */
    static String huggingFaceRepo(ModelSourceSpec source) {
        return source.uri != null && source.uri.startsWith("hf://") ? source.uri.substring("hf://".length()) : null;
    }

    /** The env variable a base-model credential is given as: the name the source's own tools read. */
    static String credentialsEnv(ModelSourceSpec source) {
        if (source.uri != null && source.uri.startsWith("ngc://")) {
            return "NGC_API_KEY";
        }
        if (source.uri == null || source.uri.startsWith("hf://")) {
            return "HF_TOKEN";
        }
        return "SLMFLEET_MODEL_CREDENTIALS";
    }
}
