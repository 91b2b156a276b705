package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.slmfleet.api.ItemMaxLength;

public class CurationJobSpec {

    public enum Labels {
        /** Only answers the fallback LLM gave: distillation from the teacher. */
        teacher,
        /** Any answer that passed the route's checks, whoever gave it. */
        accepted
    }

    @Required
    @JsonPropertyDescription("The captured usage to read, and which of it to select.")
    public Source source;

    @Default("teacher")
    @JsonPropertyDescription("teacher: keep only answers the fallback LLM gave (distillation from the teacher); accepted: keep "
            + "any answer that passed the route's checks.")
    public Labels labels = Labels.teacher;

    @Default("{}")
    @JsonPropertyDescription("What is dropped before the split.")
    public Filters filters = new Filters();

    @Default("{}")
    @JsonPropertyDescription("How kept records are split into evaluation, training and validation sets.")
    public Split split = new Split();

    @Required
    @JsonPropertyDescription("Where the data set is written.")
    public Output output;

    @Min(60)
    @Default("3600")
    @JsonPropertyDescription("Seconds the whole run (all attempts) may take before it fails with DeadlineExceeded.")
    public Long activeDeadlineSeconds = 3600L;

    @Min(0)
    @Max(10)
    @Default("2")
    @JsonPropertyDescription("Retries after a failed attempt. Bad input (no records, an existing data set, exit code 2) is "
            + "never retried.")
    public Integer backoffLimit = 2;

    @Min(0)
    @JsonPropertyDescription("Seconds to keep the finished Job and its pod (for logs) before they are deleted. Empty: kept "
            + "until the CurationJob is deleted.")
    public Integer ttlSecondsAfterFinished;

    public static class Source {

        @Required
        @JsonPropertyDescription("The claim and directory holding the router's usage-*.jsonl files (read recursively); "
                + "mounted read-only.")
        public ClaimPath volume;

        @Size(max = 253)
        @Pattern(Names.DNS_1123_SUBDOMAIN)
        @JsonPropertyDescription("Keep only records of this AgentRoute (its name). Empty: every route.")
        public String agentRoute;

        @Size(max = 32)
        @ItemMaxLength(63)
        @JsonPropertyDescription("Keep only records of these tasks. Empty: every task, unrouted requests included.")
        public List<String> tasks = new ArrayList<>();

        @Pattern(RFC_3339)
        @JsonPropertyDescription("Keep only records captured at or after this time (RFC 3339).")
        public String since;

        @Pattern(RFC_3339)
        @JsonPropertyDescription("Keep only records captured before this time (RFC 3339).")
        public String until;
    }

    @ValidationRule(value = "self.dedup == 'near' || !has(self.nearThreshold)",
            message = "filters.nearThreshold applies to dedup: near only")
    public static class Filters {

        public enum Dedup {
            none,
            exact,
            near
        }

        @Default("exact")
        @JsonPropertyDescription("none; exact: one record per normalised user turns; near: also drop records whose user "
                + "turns are near-duplicates (MinHash with LSH, Jaccard similarity at or above nearThreshold).")
        public Dedup dedup = Dedup.exact;

        @Min(0.5)
        @Max(1)
        @JsonPropertyDescription("Jaccard similarity of word shingles at or above which two records are near-duplicates "
                + "(dedup: near). Empty: 0.9.")
        public Double nearThreshold;

        @Min(0)
        @Default("1")
        @JsonPropertyDescription("Drop records whose user turns have fewer characters.")
        public Integer minChars = 1;

        @Min(1)
        @Default("8192")
        @JsonPropertyDescription("Drop records over this many tokens (the usage the router recorded, else characters / 4).")
        public Integer maxTokens = 8192;

        @Default("true")
        @JsonPropertyDescription("Drop answers that failed the route's response schema and tool calls whose arguments are not "
                + "valid JSON.")
        public Boolean requireValidOutput = true;

        @Default("true")
        @JsonPropertyDescription("Redact personal data and secrets again, with the router's redactor, before anything is "
                + "written.")
        public Boolean redactPII = true;
    }

    public static class Split {

        public enum StratifyBy {
            toolName,
            task
        }

        @Min(0)
        @Max(100000)
        @Default("200")
        @JsonPropertyDescription("Records held out as eval.jsonl. The run fails (TooFewRecords) when fewer are kept.")
        public Integer evalSize = 200;

        @Min(0)
        @Max(0.5)
        @Default("0.1")
        @JsonPropertyDescription("Share of the remaining records written to validation.jsonl, in [0, 0.5].")
        public Double validationRatio = 0.1;

        @Default("toolName")
        @JsonPropertyDescription("Stratify the split by the answer's first tool name, or by task.")
        public StratifyBy stratifyBy = StratifyBy.toolName;

        @Min(0)
        @Default("42")
        @JsonPropertyDescription("Seed of the split: the same input and seed give the same files.")
        public Long seed = 42L;
    }

    @ValidationRule(value = "has(self.volume.path)",
            message = "output.volume.path must name the data set's directory inside the claim")
    public static class Output {

        @Required
        @JsonPropertyDescription("The claim and directory the data set is written to (train.jsonl, validation.jsonl, "
                + "eval.jsonl, manifest.json). A directory that already holds a data set is never overwritten.")
        public ClaimPath volume;
    }

    /** An RFC 3339 date-time in UTC or with an offset, e.g. 2026-11-01T00:00:00Z. */
    static final String RFC_3339 = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";
}
