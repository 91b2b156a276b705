package io.slmfleet.router.shadow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmfleet.router.table.ActiveDelegation;
import io.slmfleet.router.table.ActiveFallback;
import io.slmfleet.router.table.ActiveJudge;
import io.slmfleet.router.table.ActiveRoute;
import io.slmfleet.router.table.ActiveTarget;
import io.slmfleet.router.table.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Compares a route's delegation candidate against its reference on requests whose answer the caller already has:
 * the side that did not serve the caller is asked the same request, then both answers are scored and the verdict
 * counted. Nothing here touches the caller's exchange. At most {@code maxConcurrent} comparisons run at once across
 * the router; beyond that a comparison is skipped and counted.
 *
 * <p>Shadow calls follow the rules of live calls: targets get no Authorization header (the caller's is never
 * forwarded), the fallback gets its key, the judge its own; targets have the route's timeout, the fallback and the
 * judge the fallback's. They are never streamed, whatever the caller asked: the comparison needs the whole answer.
 * The calls run on the event loop that served the request, on its pooled client; so does the scoring of short answers,
 * and a long one's runs on a worker thread ({@link #SCORED_ON_THE_LOOP_MAX_CHARS}).
 */
public final class ShadowComparisons {

    /** Where verdicts, scores and shadow calls are reported. */
    public interface Listener {

        /** @param score in [0, 1], or NaN when the verdict has none (errors and skipped comparisons) */
        void compared(String route, String candidate, Verdict verdict, double score);

        /** @param result ok, error, timeout, status_429, status_5xx or status_4xx */
        void shadowCall(String route, String target, String result, long nanos);

        /** Token counts from the usage field of a shadow call's 2xx answer (the judge's included): paid, not traffic. */
        void shadowTokens(String route, String target, long prompt, long completion);
    }

    /**
     * A request whose answer reached the caller, as the comparison needs it.
     *
     * @param route the route with a delegation
     * @param fallback the table's fallback, or null
     * @param operationPath e.g. /chat/completions
     * @param bodyForModel the caller's body, not streamed, with the model rewritten to the given one
     * @param conversation the caller's messages or prompt, for the judge; read only when a judge is asked
     * @param servedBy the label of the target or fallback whose answer the caller got
     * @param servedChoices the choices of that answer (a stream's assembled into one message)
     */
    public record Compared(ActiveRoute route, ActiveFallback fallback, String operationPath,
            Function<String, byte[]> bodyForModel, Supplier<JsonNode> conversation, String servedBy,
            JsonNode servedChoices) {
    }

    /** The judge is target "judge" in the shadow calls metric. */
    public static final String JUDGE_LABEL = "judge";

    private static final Logger LOG = Logger.getLogger(ShadowComparisons.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHAT_PATH = "/chat/completions";
    /**
     * Answers up to this many characters together are scored on the event loop (tens of microseconds); longer ones on
     * a worker thread. The hop costs more than scoring a short answer: measured at shadowRate 0.1, scoring every
     * comparison on a worker took the shadowing router's CPU per request from 1.19x to 1.45x of the same router's
     * without shadowing (docs/router.md, "Data path").
     */
    static final int SCORED_ON_THE_LOOP_MAX_CHARS = 8192;

    private final Vertx vertx;
    private final Supplier<HttpClient> clients;
    private final int maxConcurrent;
    private final long fallbackTimeoutMillis;
    private final long connectTimeoutMillis;
    private final Listener listener;
    private final AtomicInteger running = new AtomicInteger();

    /** @param clients the calling event loop's HTTP client */
    public ShadowComparisons(Vertx vertx, Supplier<HttpClient> clients, int maxConcurrent, long fallbackTimeoutMillis,
            long connectTimeoutMillis, Listener listener) {
        this.vertx = vertx;
        this.clients = clients;
        this.maxConcurrent = maxConcurrent;
        this.fallbackTimeoutMillis = fallbackTimeoutMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.listener = listener;
    }

    /** Comparisons started and not yet counted. */
    public int running() {
        return running.get();
    }

    /**
     * Starts the comparison and returns at once; the verdict is reported to the listener when both sides answered. A
     * tournament compares each of its candidates (the candidate and the contenders) with the same reference answer:
     * one reference call, one call per candidate, each candidate's comparison taking one of the concurrent slots (a
     * candidate left without one is counted skipped).
     */
    public void compare(Compared compared) {
        ActiveDelegation delegation = compared.route().delegation();
        String task = compared.route().task();
        List<ActiveTarget> admitted = new ArrayList<>();
        for (ActiveTarget member : delegation.compared()) {
            if (running.incrementAndGet() > maxConcurrent) {
                running.decrementAndGet();
                listener.compared(task, member.label(), Verdict.skipped, Double.NaN);
            } else {
                admitted.add(member);
            }
        }
        if (admitted.isEmpty()) {
            return;
        }
        Future<Answer> reference;
        if (delegation.isReference(compared.servedBy())) {
            reference = Future.succeededFuture(Answer.of(compared.servedChoices()));
        } else {
            ActiveTarget picked = delegation.pickReference(ThreadLocalRandom.current());
            reference = picked == null ? Future.failedFuture("the route has no reference right now")
                    : ask(compared, picked);
        }
        for (ActiveTarget member : admitted) {
            String candidateLabel = member.label();
            Future<Answer> candidate = candidateLabel.equals(compared.servedBy())
                    ? Future.succeededFuture(Answer.of(compared.servedChoices()))
                    : ask(compared, member);
            Future.join(candidate, reference)
                    .transform(both -> verdict(compared, candidate, reference))
                    .onComplete(done -> {
                        running.decrementAndGet();
                        if (done.failed()) {
                            // scoring never fails on answers, and the judge's failures are a verdict: this is a bug
                            LOG.errorf(done.cause(), "Comparing %s on task %s failed", candidateLabel, task);
                            return;
                        }
                        listener.compared(task, candidateLabel, done.result().verdict(), done.result().score());
                    });
        }
    }

    private record Judged(Verdict verdict, double score) {
    }

    private Future<Judged> verdict(Compared compared, Future<Answer> candidate, Future<Answer> reference) {
        if (candidate.failed()) {
            return Future.succeededFuture(new Judged(Verdict.candidate_error, Double.NaN));
        }
        if (reference.failed()) {
            return Future.succeededFuture(new Judged(Verdict.reference_error, Double.NaN));
        }
        Supplier<AnswerScorer.Score> scoring = () -> AnswerScorer.score(reference.result(), candidate.result(),
                compared.route().schema());
        Future<AnswerScorer.Score> scored;
        if (reference.result().textLength() + candidate.result().textLength() <= SCORED_ON_THE_LOOP_MAX_CHARS) {
            scored = Future.succeededFuture(scoring.get());
        } else {
            // a long answer's token F1 or schema check would hold up every caller on the loop; unordered, so
            // comparisons do not queue behind each other, and the result comes back on the loop
            scored = vertx.executeBlocking(scoring::get, false);
        }
        return scored.compose(score -> judged(compared, score, candidate.result(), reference.result()));
    }

    private Future<Judged> judged(Compared compared, AnswerScorer.Score score, Answer candidate, Answer reference) {
        ActiveDelegation delegation = compared.route().delegation();
        if (score.failure() == Verdict.reference_error) {
            return Future.succeededFuture(new Judged(Verdict.reference_error, Double.NaN));
        }
        if (score.failure() != null || score.kind() != AnswerScorer.Kind.FREE_TEXT || delegation.judge() == null) {
            return Future.succeededFuture(new Judged(score.verdict(delegation.agreementThreshold()), score.score()));
        }
        ActiveJudge judge = delegation.judge();
        byte[] request = JudgeRubric.request(judge.model(), compared.conversation().get(), reference.content(),
                candidate.content()).toString().getBytes(StandardCharsets.UTF_8);
        return call(compared.route().task(), JUDGE_LABEL, judge.upstream(), CHAT_PATH, request, judge.authorization(),
                fallbackTimeoutMillis)
                .map(reply -> {
                    var graded = JudgeRubric.score(reply);
                    if (graded.isEmpty()) {
                        return new Judged(Verdict.judge_error, Double.NaN);
                    }
                    double value = graded.getAsDouble();
                    return new Judged(value >= delegation.agreementThreshold() ? Verdict.agree : Verdict.disagree,
                            value);
                })
                .otherwise(new Judged(Verdict.judge_error, Double.NaN));
    }

    /** The same request to a target, the candidate or the fallback, under the rules of a live call to it. */
    private Future<Answer> ask(Compared compared, ActiveTarget member) {
        boolean fallback = member.role() == ActiveTarget.Role.FALLBACK;
        if (fallback && compared.fallback() == null) {
            return Future.failedFuture("the table has no fallback");
        }
        String authorization = fallback ? compared.fallback().authorization() : null;
        long timeout = fallback ? fallbackTimeoutMillis : compared.route().timeoutMillis();
        return call(compared.route().task(), member.label(), member.upstream(), compared.operationPath(),
                compared.bodyForModel().apply(member.model()), authorization, timeout)
                .map(completion -> Answer.of(completion.get("choices")));
    }

    /** One POST, cut at the timeout; succeeds with the parsed 2xx answer only. */
    private Future<JsonNode> call(String route, String label, Upstream upstream, String operationPath, byte[] body,
            String authorization, long timeoutMillis) {
        Promise<JsonNode> answer = Promise.promise();
        long startNanos = System.nanoTime();
        HttpClientRequest[] opened = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMillis, fired -> {
            if (answer.tryFail(new TimeoutException(label + " did not answer within " + timeoutMillis + " ms"))) {
                listener.shadowCall(route, label, "timeout", System.nanoTime() - startNanos);
                if (opened[0] != null) {
                    opened[0].reset();
                }
            }
        });
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(upstream.uri(operationPath))
                .setConnectTimeout(Math.min(connectTimeoutMillis, timeoutMillis));
        clients.get().request(options)
                .compose(request -> {
                    if (answer.future().isComplete()) {
                        request.reset();
                        return Future.failedFuture("timed out before the connection opened");
                    }
                    opened[0] = request;
                    request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                    if (authorization != null) {
                        request.putHeader(HttpHeaders.AUTHORIZATION, authorization);
                    }
                    return request.send(Buffer.buffer(body));
                })
                .compose(response -> response.body().map(bytes -> new Reply(response.statusCode(), bytes)))
                .onComplete(replied -> {
                    vertx.cancelTimer(timer);
                    if (answer.future().isComplete()) {
                        return;
                    }
                    long nanos = System.nanoTime() - startNanos;
                    if (replied.failed()) {
                        listener.shadowCall(route, label, "error", nanos);
                        answer.fail(replied.cause());
                        return;
                    }
                    Reply reply = replied.result();
                    if (reply.status() / 100 != 2) {
                        listener.shadowCall(route, label, resultOf(reply.status()), nanos);
                        answer.fail(label + " answered " + reply.status());
                        return;
                    }
                    try {
                        JsonNode parsed = MAPPER.readTree(reply.body().getBytes());
                        listener.shadowCall(route, label, "ok", nanos);
                        JsonNode usage = parsed.path("usage");
                        listener.shadowTokens(route, label, usage.path("prompt_tokens").asLong(),
                                usage.path("completion_tokens").asLong());
                        answer.complete(parsed);
                    } catch (IOException e) {
                        listener.shadowCall(route, label, "error", nanos);
                        answer.fail(label + " answered something that is not JSON");
                    }
                });
        return answer.future();
    }

    private record Reply(int status, Buffer body) {
    }

    private static String resultOf(int status) {
        if (status == 429) {
            return "status_429";
        }
        return status >= 500 ? "status_5xx" : "status_4xx";
    }
}
