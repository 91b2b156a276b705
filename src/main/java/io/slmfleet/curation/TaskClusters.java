package io.slmfleet.curation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.slmfleet.pii.PiiRedactor;

/**
 * Groups records into task clusters ("what is this traffic?") by {@link UsageRecord.ClusterKey#fingerprint}: the
 * normalised system prompt (lower case, whitespace collapsed, digit runs as 0, so dates and ids in a prompt do not
 * split a cluster), the sorted set of tool names offered, and the response format ({@code text}, {@code json_object} or
 * {@code json_schema:<name>}). Counted are the kept examples and the records dropped only because the teacher did not
 * answer them ({@link DropReason#notTeacher}): the clusters describe the traffic with usable answers, including what a
 * specialist already serves, not only what was kept.
 * <p>
 * At most {@value #MAX_CLUSTERS} clusters are tracked (memory stays flat); records of further fingerprints are counted
 * in {@link #untracked}.
 * <p>
 * A cluster's suggested task name is the task its records carry most often; for unrouted records, the first tool
 * name in kebab case; without tools, the first two words of the system prompt of four letters or more that are not
 * common instruction words; else {@code chat}.
 */
final class TaskClusters {

    static final int MAX_CLUSTERS = 4096;
    static final int EXAMPLE_CHARS = 160;
    private static final int MAX_TASKS_PER_CLUSTER = 8;
    private static final Set<String> INSTRUCTION_WORDS = Set.of("you", "are", "your", "assistant", "helpful", "that",
            "this", "with", "from", "which", "will", "should", "must", "please", "always", "never", "only", "answer",
            "respond", "reply", "given", "following", "user", "users", "task", "help", "helps");

    /** What the first record of a cluster said, reduced to what the report needs (no full texts are held). */
    private static final class Tally {
        final List<String> tools;
        final String nameWithoutTask;
        final String example;
        final Map<String, Long> tasks = new HashMap<>();
        long records;

        Tally(UsageRecord.ClusterKey first) {
            this.tools = first.tools();
            this.nameWithoutTask = nameWithoutTask(first);
            this.example = example(first.userText());
        }
    }

    private final Map<Long, Tally> tallies = new LinkedHashMap<>();
    private long total;
    private long untracked;

    void add(UsageRecord.ClusterKey key) {
        total++;
        Tally tally = tallies.get(key.fingerprint());
        if (tally == null) {
            if (tallies.size() >= MAX_CLUSTERS) {
                untracked++;
                return;
            }
            tally = new Tally(key);
            tallies.put(key.fingerprint(), tally);
        }
        tally.records++;
        String task = key.task() == null ? "" : key.task();
        if (tally.tasks.containsKey(task) || tally.tasks.size() < MAX_TASKS_PER_CLUSTER) {
            tally.tasks.merge(task, 1L, Long::sum);
        }
    }

    /** Records of fingerprints seen after {@value #MAX_CLUSTERS} clusters were tracked. */
    long untracked() {
        return untracked;
    }

    /** Largest first (ties by fingerprint). */
    List<TaskCluster> largestFirst() {
        List<TaskCluster> clusters = new ArrayList<>();
        for (Map.Entry<Long, Tally> entry : tallies.entrySet()) {
            Tally tally = entry.getValue();
            double share = Math.round(1000.0 * tally.records / total) / 1000.0;
            clusters.add(new TaskCluster(Hashing.hex12(entry.getKey()), tally.records, share, suggestedTask(tally),
                    tally.tools, tally.example));
        }
        clusters.sort(Comparator.comparingLong(TaskCluster::records).reversed().thenComparing(TaskCluster::fingerprint));
        return clusters;
    }

    private static String suggestedTask(Tally tally) {
        String task = tally.tasks.entrySet().stream()
                .filter(entry -> !entry.getKey().isEmpty())
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey)
                .orElse(null);
        return task != null ? task : tally.nameWithoutTask;
    }

    private static String nameWithoutTask(UsageRecord.ClusterKey key) {
        if (!key.tools().isEmpty()) {
            return kebab(key.tools().get(0));
        }
        List<String> words = new ArrayList<>();
        for (String word : key.systemPrompt().split("[^a-z]+")) {
            if (word.length() >= 4 && !INSTRUCTION_WORDS.contains(word) && !words.contains(word)) {
                words.add(word);
                if (words.size() == 2) {
                    break;
                }
            }
        }
        return words.isEmpty() ? "chat" : String.join("-", words);
    }

    private static String kebab(String name) {
        String kebab = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("[^A-Za-z0-9]+", "-").toLowerCase();
        kebab = kebab.replaceAll("^-+|-+$", "");
        return kebab.isEmpty() ? "chat" : kebab;
    }

    /** The first user turn, redacted whatever the options say (it goes to status and the manifest), cut short. */
    static String example(String userText) {
        String redacted = PiiRedactor.redact(userText).replaceAll("\\s+", " ").trim();
        return shorten(redacted, EXAMPLE_CHARS);
    }

    static String shorten(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, Math.max(0, maxChars - 1)) + "…";
    }
}
