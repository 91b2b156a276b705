package io.slmfleet.evaluation;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.slmfleet.common.CommandLineOptions;

/**
 * The {@code evaluate} command line (docs/evaluation.md). Every option takes a value, as {@code --name value} or
 * {@code --name=value}.
 *
 * @param dataset the chat-format examples ({@code eval.jsonl} of a curation)
 * @param candidates in the order given: the recommendation picks the first listed that clears the gate
 * @param maxExamples at most this many usable examples, from the top of the file; 0: all
 * @param concurrency calls in flight at once, over all candidates
 * @param timeoutSeconds per call, from sending the request to the whole answer
 * @param minAgreement the gate on the agreement rate's lower confidence bound
 * @param confidence of the bounds, in (0, 1)
 * @param agreementThreshold a comparison agrees when its score is at least this (the delegation's agreementThreshold)
 * @param responseSchema a JSON Schema answers must satisfy (the route's response schema), or null
 * @param report where to write one verdict per example and candidate as JSON Lines, or null
 * @param problem what is wrong with the arguments; null when nothing is (then the other fields are set)
 */
public record EvaluateArguments(Path dataset, List<Candidate> candidates, int maxExamples, int concurrency,
        double timeoutSeconds, double minAgreement, double confidence, double agreementThreshold, Path responseSchema,
        Path report, String problem) {

    public static final String USAGE = """
            usage: evaluate --dataset eval.jsonl --candidate NAME=URL[,MODEL] [--candidate ...] [options]
              --candidate NAME=URL[,MODEL]  an OpenAI-compatible base URL (e.g. http://host:8000/v1); MODEL defaults
                                            to the example's "model", else "default" (repeatable, names unique)
              --max-examples N              only the first N usable examples (default all)
              --concurrency 4               calls in flight at once, over all candidates
              --timeout-seconds 60          per call
              --agreement-threshold 0.9     a score at or above this agrees (as a delegation's agreementThreshold)
              --min-agreement 0.95          the agreement rate's lower bound a candidate must clear
              --confidence 0.95             of the confidence bounds
              --response-schema FILE        a JSON Schema the answers must satisfy (counts invalid outputs)
              --report FILE                 one verdict per example and candidate, JSON Lines
            """;

    /**
     * A model server to evaluate.
     *
     * @param chatCompletions the base URL with {@code /chat/completions} appended
     * @param model the model to ask for, or null: the example's, else "default"
     */
    public record Candidate(String name, URI chatCompletions, String model) {
    }

    public static EvaluateArguments parse(List<String> arguments) {
        Path dataset = null;
        List<Candidate> candidates = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int maxExamples = 0;
        int concurrency = 4;
        double timeoutSeconds = 60;
        double minAgreement = 0.95;
        double confidence = 0.95;
        double agreementThreshold = 0.9;
        Path responseSchema = null;
        Path report = null;
        String problem = null;
        CommandLineOptions split = CommandLineOptions.split(arguments);
        for (CommandLineOptions.Option option : split.options()) {
            if (problem != null) {
                break;
            }
            String name = option.name();
            String value = option.value();
            try {
                switch (name) {
                    case "--dataset" -> dataset = Path.of(value);
                    case "--candidate" -> {
                        Candidate candidate = candidate(value);
                        if (!names.add(candidate.name())) {
                            problem = "candidate " + candidate.name() + " is given twice";
                        }
                        candidates.add(candidate);
                    }
                    case "--max-examples" -> maxExamples = atLeast(Integer.parseInt(value), 1);
                    case "--concurrency" -> concurrency = atLeast(Integer.parseInt(value), 1);
                    case "--timeout-seconds" -> {
                        timeoutSeconds = Double.parseDouble(value);
                        if (!(timeoutSeconds > 0 && timeoutSeconds <= 86_400)) {
                            throw new IllegalArgumentException("not in (0, 86400]");
                        }
                    }
                    case "--agreement-threshold" -> agreementThreshold = within(Double.parseDouble(value), 0, 1);
                    case "--min-agreement" -> minAgreement = within(Double.parseDouble(value), 0, 1);
                    case "--confidence" -> {
                        confidence = Double.parseDouble(value);
                        if (!(confidence > 0 && confidence < 1)) {
                            throw new IllegalArgumentException("not in (0, 1)");
                        }
                    }
                    case "--response-schema" -> responseSchema = Path.of(value);
                    case "--report" -> report = Path.of(value);
                    default -> problem = "unknown option " + name;
                }
            } catch (MalformedCandidate e) {
                problem = "malformed --candidate " + value + ": " + e.getMessage() + " (expected NAME=URL[,MODEL])";
            } catch (IllegalArgumentException e) {
                problem = "invalid value for " + name + ": " + value;
            }
        }
        if (problem == null) {
            problem = split.problem();
        }
        if (problem == null && dataset == null) {
            problem = "--dataset is required";
        }
        if (problem == null && candidates.isEmpty()) {
            problem = "at least one --candidate is required";
        }
        if (problem != null) {
            return new EvaluateArguments(null, List.of(), 0, 0, 0, 0, 0, 0, null, null, problem);
        }
        return new EvaluateArguments(dataset, List.copyOf(candidates), maxExamples, concurrency, timeoutSeconds,
                minAgreement, confidence, agreementThreshold, responseSchema, report, null);
    }

    private static final class MalformedCandidate extends RuntimeException {
        MalformedCandidate(String message) {
            super(message);
        }
    }

    static Candidate candidate(String value) {
        int equals = value.indexOf('=');
        if (equals <= 0) {
            throw new MalformedCandidate("no NAME=");
        }
        String name = value.substring(0, equals).strip();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new MalformedCandidate("the name may hold letters, digits, '.', '_' and '-' only");
        }
        String rest = value.substring(equals + 1);
        int comma = rest.indexOf(',');
        String url = (comma < 0 ? rest : rest.substring(0, comma)).strip();
        String model = comma < 0 ? null : rest.substring(comma + 1).strip();
        if (model != null && model.isEmpty()) {
            throw new MalformedCandidate("the model after ',' is empty");
        }
        URI base;
        try {
            base = new URI(url);
        } catch (URISyntaxException e) {
            throw new MalformedCandidate("not a URL: " + url);
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null
                || base.getQuery() != null || base.getFragment() != null) {
            throw new MalformedCandidate("not an http(s) base URL with a host: " + url);
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return new Candidate(name, base.resolve(path + "/chat/completions"), model);
    }

    private static int atLeast(int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException("below " + minimum);
        }
        return value;
    }

    private static double within(double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException("not in [" + low + ", " + high + "]");
        }
        return value;
    }
}
