package io.slmfleet.evaluation;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.slmfleet.common.CommandLineOptions;

/**
 * The {@code evaluate} command line (docs/evaluation.md). Every option takes a value, as {@code --name value} or
 * {@code --name=value}.
 *
 * @param dataset the chat-format examples ({@code eval.jsonl} of a curation)
 * @param candidates in the order given: the recommendation's last tie-break, the leaderboard's and the summary's order
 * @param maxExamples at most this many usable examples, from the top of the file; 0: all
 * @param concurrency calls in flight at once, over all candidates
 * @param timeoutSeconds per call, from sending the request to the whole answer
 * @param minAgreement the gate on the agreement rate's lower confidence bound
 * @param confidence of the bounds, in (0, 1)
 * @param agreementThreshold a comparison agrees when its score is at least this (the delegation's agreementThreshold)
 * @param responseSchema a JSON Schema answers must satisfy (the route's response schema), or null
 * @param report where to write one verdict per example and candidate as JSON Lines, or null
 * @param judge grades free-text answers (as a delegation's judge), or null: token F1
 * @param summaryFile where to write the one-line JSON summary ({@link EvaluationSummary}), or null; set whenever its
 *        option had a value, even when {@code problem} is set, so that the failure can be written there
 * @param problem what is wrong with the arguments; null when nothing is (then the other fields are set)
 */
public record EvaluateArguments(Path dataset, List<Candidate> candidates, int maxExamples, int concurrency,
        double timeoutSeconds, double minAgreement, double confidence, double agreementThreshold, Path responseSchema,
        Path report, Judge judge, Path summaryFile, String problem) {

    public static final String USAGE = """
            usage: evaluate --dataset eval.jsonl --candidate NAME=URL[,MODEL] [--candidate ...] [options]
              --candidate NAME=URL[,MODEL]  an OpenAI-compatible base URL (e.g. http://host:8000/v1); MODEL defaults
                                            to the example's "model", else "default" (repeatable, names unique)
              --api-key-env NAME=ENVVAR     send "Authorization: Bearer $ENVVAR" to candidate NAME
              --gpu-price NAME=USD_PER_HOUR what serving NAME costs an hour (all its replicas' GPUs)
              --token-price NAME=IN,OUT     USD per million input and output tokens of NAME (an LLM's list price)
              --max-examples N              only the first N usable examples (default all)
              --concurrency 4               calls in flight at once, over all candidates
              --timeout-seconds 60          per call
              --agreement-threshold 0.9     a score at or above this agrees (as a delegation's agreementThreshold)
              --min-agreement 0.95          the agreement rate's lower bound a candidate must clear
              --confidence 0.95             of the confidence bounds
              --response-schema FILE        a JSON Schema the answers must satisfy (counts invalid outputs)
              --report FILE                 one verdict per example and candidate, JSON Lines
              --summary-file FILE           a one-line JSON summary (at most 4096 bytes), also on failure
              --judge URL[,MODEL]           an OpenAI-compatible LLM that grades free-text answers 1-5 (else token F1)
              --judge-api-key-env ENVVAR    send "Authorization: Bearer $ENVVAR" to the judge
            """;

    /**
     * A model server to evaluate.
     *
     * @param chatCompletions the base URL with {@code /chat/completions} appended
     * @param model the model to ask for, or null: the example's, else "default"
     * @param apiKeyEnv the environment variable holding the bearer token sent to this candidate only, or null
     * @param gpuUsdPerHour what everything serving the candidate costs an hour, or null
     * @param tokenPrice its price per token, or null (never both prices)
     */
    public record Candidate(String name, URI chatCompletions, String model, String apiKeyEnv, Double gpuUsdPerHour,
            TokenPrice tokenPrice) {

        Candidate(String name, URI chatCompletions, String model) {
            this(name, chatCompletions, model, null, null, null);
        }

        public boolean priced() {
            return gpuUsdPerHour != null || tokenPrice != null;
        }
    }

    /**
     * The LLM that grades free-text answers, with the router's rubric ({@link io.slmfleet.router.shadow.JudgeRubric}).
     *
     * @param chatCompletions the base URL with {@code /chat/completions} appended
     * @param model the judge's model ("default" when not given)
     * @param apiKeyEnv the environment variable holding its bearer token, or null
     */
    public record Judge(URI chatCompletions, String model, String apiKeyEnv) {
    }

    /** USD per million input (prompt) and output (completion) tokens. */
    public record TokenPrice(double inputPerMillion, double outputPerMillion) {
    }

    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";

    public static EvaluateArguments parse(List<String> arguments) {
        Path dataset = null;
        List<Candidate> candidates = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> apiKeyEnv = new LinkedHashMap<>();
        Map<String, Double> gpuPrice = new LinkedHashMap<>();
        Map<String, TokenPrice> tokenPrice = new LinkedHashMap<>();
        int maxExamples = 0;
        int concurrency = 4;
        double timeoutSeconds = 60;
        double minAgreement = 0.95;
        double confidence = 0.95;
        double agreementThreshold = 0.9;
        Path responseSchema = null;
        Path report = null;
        Path summaryFile = null;
        Candidate judge = null;
        String judgeApiKeyEnv = null;
        String problem = null;
        CommandLineOptions split = CommandLineOptions.split(arguments);
        // the summary file first: a failure of the other arguments is written there too
        for (CommandLineOptions.Option option : split.options()) {
            if ("--summary-file".equals(option.name()) && !option.value().isEmpty()) {
                try {
                    summaryFile = Path.of(option.value());
                } catch (IllegalArgumentException e) {
                    // an unusable path: no summary, the problem is told on stderr below
                }
            }
        }
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
                    case "--api-key-env" -> problem = perCandidate(name, value, apiKeyEnv, variable -> {
                        if (!variable.matches(ENV_NAME)) {
                            throw new IllegalArgumentException("not an environment variable's name");
                        }
                        return variable;
                    });
                    case "--gpu-price" -> problem = perCandidate(name, value, gpuPrice,
                            price -> price(Double.parseDouble(price)));
                    case "--token-price" -> problem = perCandidate(name, value, tokenPrice, prices -> {
                        String[] both = prices.split(",", -1);
                        if (both.length != 2) {
                            throw new IllegalArgumentException("not IN,OUT");
                        }
                        return new TokenPrice(price(Double.parseDouble(both[0].strip())),
                                price(Double.parseDouble(both[1].strip())));
                    });
                    case "--judge" -> judge = judge(value);
                    case "--judge-api-key-env" -> {
                        if (!value.matches(ENV_NAME)) {
                            throw new IllegalArgumentException("not an environment variable's name");
                        }
                        judgeApiKeyEnv = value;
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
                    case "--summary-file" -> {
                        if (value.isEmpty()) {
                            throw new IllegalArgumentException("empty");
                        }
                        summaryFile = Path.of(value);
                    }
                    default -> problem = "unknown option " + name;
                }
            } catch (MalformedCandidate e) {
                problem = "--judge".equals(name)
                        ? "malformed --judge " + value + ": " + e.getMessage() + " (expected URL[,MODEL])"
                        : "malformed --candidate " + value + ": " + e.getMessage() + " (expected NAME=URL[,MODEL])";
            } catch (IllegalArgumentException e) {
                problem = "invalid value for " + name + ": " + value + expected(name);
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
        if (problem == null) {
            problem = unknown("--api-key-env", apiKeyEnv.keySet(), names);
        }
        if (problem == null) {
            problem = unknown("--gpu-price", gpuPrice.keySet(), names);
        }
        if (problem == null) {
            problem = unknown("--token-price", tokenPrice.keySet(), names);
        }
        if (problem == null) {
            for (String both : gpuPrice.keySet()) {
                if (tokenPrice.containsKey(both)) {
                    problem = "candidate " + both + " has both --gpu-price and --token-price: it is priced one way";
                    break;
                }
            }
        }
        if (problem == null && judgeApiKeyEnv != null && judge == null) {
            problem = "--judge-api-key-env without --judge";
        }
        if (problem != null) {
            return new EvaluateArguments(null, List.of(), 0, 0, 0, 0, 0, 0, null, null, null, summaryFile, problem);
        }
        List<Candidate> complete = candidates.stream().map(c -> new Candidate(c.name(), c.chatCompletions(), c.model(),
                apiKeyEnv.get(c.name()), gpuPrice.get(c.name()), tokenPrice.get(c.name()))).toList();
        return new EvaluateArguments(dataset, complete, maxExamples, concurrency, timeoutSeconds, minAgreement,
                confidence, agreementThreshold, responseSchema, report,
                judge == null ? null : new Judge(judge.chatCompletions(),
                        judge.model() == null ? "default" : judge.model(), judgeApiKeyEnv),
                summaryFile, null);
    }

    private static final class MalformedCandidate extends RuntimeException {
        MalformedCandidate(String message) {
            super(message);
        }
    }

    /** {@code NAME=VALUE} of an option given once per candidate; @return a problem, or null */
    private static <T> String perCandidate(String option, String value, Map<String, T> byCandidate,
            java.util.function.Function<String, T> parse) {
        int equals = value.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("no NAME=");
        }
        String name = value.substring(0, equals).strip();
        T parsed = parse.apply(value.substring(equals + 1).strip());
        if (byCandidate.putIfAbsent(name, parsed) != null) {
            return option + " is given twice for candidate " + name;
        }
        return null;
    }

    private static String unknown(String option, Set<String> named, Set<String> declared) {
        for (String name : named) {
            if (!declared.contains(name)) {
                return option + " names unknown candidate " + name;
            }
        }
        return null;
    }

    private static String expected(String option) {
        return switch (option) {
            case "--api-key-env" -> " (expected NAME=ENVVAR)";
            case "--gpu-price" -> " (expected NAME=USD_PER_HOUR)";
            case "--token-price" -> " (expected NAME=IN,OUT in USD per million tokens)";
            default -> "";
        };
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
        return endpoint(name, value.substring(equals + 1));
    }

    /** The judge's {@code URL[,MODEL]}, read as a candidate's without the name. */
    private static Candidate judge(String value) {
        return endpoint("judge", value);
    }

    private static Candidate endpoint(String name, String rest) {
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

    /** A price: finite and not negative (0 is a candidate that costs nothing). */
    private static double price(double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("not a price");
        }
        return value;
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
