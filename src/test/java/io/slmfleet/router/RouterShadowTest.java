package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.router.FakeBackend.Received;
import io.slmfleet.router.shadow.Verdict;
import io.slmfleet.routing.RoutingTable.Delegation;
import io.slmfleet.routing.RoutingTable.Fallback;
import io.slmfleet.routing.RoutingTable.Judge;
import io.slmfleet.routing.RoutingTable.Route;
import io.slmfleet.routing.RoutingTable.Target;
import io.slmfleet.routing.RoutingTableCodec;

/** Shadow comparisons of a delegation's candidate against its reference, over real HTTP against fake backends. */
@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterShadowTest extends RouterTestBase {

    static final String JUDGE_KEY_VARIABLE = "SLMFLEET_TEST_JUDGE_KEY";
    static final String JUDGE_KEY = "judge-secret-key";

    @BeforeAll
    static void judgeKey() {
        System.setProperty(JUDGE_KEY_VARIABLE, JUDGE_KEY);
    }

    private static final Map<String, Object> TOTAL_SCHEMA = Map.of("type", "object", "required", List.of("total"),
            "properties", Map.of("total", Map.of("type", "number")));

    /** No comparison of a test may still run when the next starts: they share the router's concurrency bound. */
    @AfterEach
    void comparisonsDrained() {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            String metrics = metrics();
            return metrics != null && running(metrics) == 0;
        });
    }

    @Test
    void aRouteWithoutTrustedTargetsIsServedByTheFallbackAsNormalTraffic() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("teacher"))) {
            install(table(new Fallback(llm.endpoint(), "big-llm", FALLBACK_KEY_VARIABLE, List.of()), route("llm-only")));

            HttpResponse<String> answer = chatForTask("llm-only");

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(header(answer, "x-slmfleet-target")).isEqualTo("fallback");
            assertThat(header(answer, "x-slmfleet-fallback")).as("normal traffic, not a fallback").isNull();
            assertThat(llm.received()).singleElement().satisfies(received -> {
                assertThat(received.model()).isEqualTo("big-llm");
                assertThat(received.headers().get("authorization")).isEqualTo("Bearer " + FALLBACK_KEY);
            });
            String metrics = metrics();
            assertThat(metrics).contains(
                    "slmfleet_router_requests_seconds_count{outcome=\"ok\",route=\"llm-only\",target=\"fallback\"} 1.0")
                    .doesNotContain("slmfleet_router_fallbacks_total{reason=\"error\",route=\"llm-only\"}");
        }
    }

    @Test
    void aSlowCandidateDoesNotSlowTheCaller() throws Exception {
        long teacherMillis = 300;
        long candidateMillis = 3000;
        try (FakeBackend llm = FakeBackend.start(backends,
                FakeBackend.delayed(teacherMillis, FakeBackend.completion("The total is 12 EUR."), backends));
                FakeBackend slm = FakeBackend.start(backends,
                        FakeBackend.delayed(candidateMillis, FakeBackend.completion("The total is 12 EUR."), backends))) {
            install(table(fallback(llm),
                    delegating(route("slow-candidate", 5000, 0, null), candidate("slow", slm, 0), 1.0)));

            long start = System.nanoTime();
            HttpResponse<String> answer = chatForTask("slow-candidate");
            long callerMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("The total is 12 EUR.");
            assertThat(callerMillis).as("the caller waits for the teacher only").isGreaterThanOrEqualTo(teacherMillis)
                    .isLessThan(candidateMillis);
            assertThat(comparisons("slow-candidate", "slow/v2", Verdict.agree)).as("not yet scored").isZero();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> comparisons("slow-candidate", "slow/v2", Verdict.agree) == 1);
            assertThat(metrics()).contains("slmfleet_router_comparison_score_count{candidate=\"slow/v2\",route=\"slow-candidate\"} 1.0")
                    .contains("slmfleet_router_comparison_score_sum{candidate=\"slow/v2\",route=\"slow-candidate\"} 1.0");
        }
    }

    @Test
    void countsEveryVerdict() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("{\"total\": 3}"));
                FakeBackend brokenLlm = FakeBackend.start(backends, FakeBackend.status(500));
                FakeBackend same = FakeBackend.start(backends, FakeBackend.completion("{\"total\": 3}"));
                FakeBackend other = FakeBackend.start(backends, FakeBackend.completion("{\"total\": 4}"));
                FakeBackend prose = FakeBackend.start(backends, FakeBackend.completion("three"));
                FakeBackend failing = FakeBackend.start(backends, FakeBackend.status(500));
                FakeBackend hanging = FakeBackend.start(backends, FakeBackend.silent());
                FakeBackend trusted = FakeBackend.start(backends, FakeBackend.completion("{\"total\": 3}"))) {
            install(table(fallback(llm),
                    delegating(route("v-agree"), candidate("same", same, 0), 1.0),
                    delegating(route("v-disagree"), candidate("other", other, 0), 1.0),
                    delegating(route("v-invalid", 2000, 0, TOTAL_SCHEMA), candidate("prose", prose, 0), 1.0),
                    delegating(route("v-error"), candidate("failing", failing, 0), 1.0),
                    delegating(route("v-hanging", 300, 0, null), candidate("hanging", hanging, 0), 1.0),
                    delegating(route("v-never"), candidate("never", same, 0), 0.0)));

            for (String task : List.of("v-agree", "v-disagree", "v-invalid", "v-error", "v-hanging", "v-never")) {
                assertThat(chatForTask(task).statusCode()).as(task).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(comparisons("v-agree", "same/v2", Verdict.agree)).isEqualTo(1);
                assertThat(comparisons("v-disagree", "other/v2", Verdict.disagree)).isEqualTo(1);
                assertThat(comparisons("v-invalid", "prose/v2", Verdict.candidate_invalid)).isEqualTo(1);
                assertThat(comparisons("v-error", "failing/v2", Verdict.candidate_error)).isEqualTo(1);
                assertThat(comparisons("v-hanging", "hanging/v2", Verdict.candidate_error)).as("cut at the route's timeout")
                        .isEqualTo(1);
            });
            assertThat(metrics()).doesNotContain("route=\"v-never\",verdict")
                    .contains("slmfleet_router_comparison_score_sum{candidate=\"other/v2\",route=\"v-disagree\"} 0.0")
                    .contains("slmfleet_router_comparison_score_count{candidate=\"prose/v2\",route=\"v-invalid\"} 1.0")
                    .contains("slmfleet_router_shadow_calls_seconds_count{result=\"timeout\",route=\"v-hanging\",target=\"hanging/v2\"} 1.0")
                    .contains("slmfleet_router_shadow_calls_seconds_count{result=\"status_5xx\",route=\"v-error\",target=\"failing/v2\"} 1.0");

            // a trusted target served, so both sides are asked; the teacher fails
            install(table(new Fallback(brokenLlm.endpoint(), "big-llm", FALLBACK_KEY_VARIABLE, List.of()),
                    delegating(route("v-reference", target("trusted", trusted, 1)), candidate("same", same, 0), 1.0)));
            assertThat(chatForTask("v-reference").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> comparisons("v-reference", "same/v2", Verdict.reference_error) == 1);
        }
    }

    @Test
    void theJudgeGradesFreeTextAndItsFailuresAreNotDisagreement() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("Paris is the capital of France."));
                FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("It is Paris."));
                FakeBackend judge = FakeBackend.start(backends, FakeBackend.completion("5"));
                FakeBackend garbage = FakeBackend.start(backends, FakeBackend.completion("I think they match well"));
                FakeBackend down = FakeBackend.start(backends, FakeBackend.status(503))) {
            install(table(fallback(llm),
                    judged(route("j-graded"), candidate("slm", slm, 0), judge),
                    judged(route("j-garbage"), candidate("slm", slm, 0), garbage),
                    judged(route("j-down"), candidate("slm", slm, 0), down)));

            for (String task : List.of("j-graded", "j-garbage", "j-down")) {
                assertThat(chatForTask(task).statusCode()).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(comparisons("j-graded", "slm/v2", Verdict.agree)).as("token F1 alone would disagree")
                        .isEqualTo(1);
                assertThat(comparisons("j-garbage", "slm/v2", Verdict.judge_error)).isEqualTo(1);
                assertThat(comparisons("j-down", "slm/v2", Verdict.judge_error)).isEqualTo(1);
            });
            assertThat(metrics()).doesNotContain("route=\"j-garbage\",verdict=\"disagree\"")
                    .doesNotContain("route=\"j-down\",verdict=\"disagree\"");
            assertThat(judge.received()).singleElement().satisfies(received -> {
                assertThat(received.model()).isEqualTo("judge-model");
                assertThat(received.body().toString()).contains("Paris is the capital of France.", "It is Paris.");
            });
        }
    }

    @Test
    void keysGoOnlyToTheirOwnUpstream() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("a b c"));
                FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("a b d"));
                FakeBackend trusted = FakeBackend.start(backends, FakeBackend.completion("a b c"));
                FakeBackend judge = FakeBackend.start(backends, FakeBackend.completion("4"))) {
            // a trusted target serves, so the candidate and the fallback are both asked, and the judge after them
            install(table(fallback(llm), judged(route("keys", target("trusted", trusted, 1)), candidate("slm", slm, 0),
                    judge)));

            assertThat(chatForTask("keys").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> comparisons("keys", "slm/v2", Verdict.disagree) == 1);

            assertThat(authorizations(trusted)).containsExactly((String) null);
            assertThat(authorizations(slm)).containsExactly((String) null);
            assertThat(authorizations(llm)).containsExactly("Bearer " + FALLBACK_KEY);
            assertThat(authorizations(judge)).containsExactly("Bearer " + JUDGE_KEY);
            for (FakeBackend backend : List.of(trusted, slm, llm, judge)) {
                assertThat(backend.received().toString()).doesNotContain(RouterTestProfile.TOKEN);
            }
        }
    }

    @Test
    void shadowAndJudgeCallsCountTheirTokensByTarget() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("a b c"));
                FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("a b d"));
                FakeBackend trusted = FakeBackend.start(backends, FakeBackend.completion("a b c"));
                FakeBackend judge = FakeBackend.start(backends, FakeBackend.completion("4"))) {
            // a trusted target serves: the candidate and the teacher are asked, then the judge; each answers usage 11 + 7
            install(table(fallback(llm), judged(route("paid", target("trusted", trusted, 1)), candidate("slm", slm, 0),
                    judge)));

            assertThat(chatForTask("paid").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> comparisons("paid", "slm/v2", Verdict.disagree) == 1);

            assertThat(metrics())
                    .contains("slmfleet_router_shadow_tokens_total{kind=\"prompt\",route=\"paid\",target=\"fallback\"} 11.0")
                    .contains("slmfleet_router_shadow_tokens_total{kind=\"completion\",route=\"paid\",target=\"fallback\"} 7.0")
                    .contains("slmfleet_router_shadow_tokens_total{kind=\"prompt\",route=\"paid\",target=\"judge\"} 11.0")
                    .contains("slmfleet_router_shadow_tokens_total{kind=\"completion\",route=\"paid\",target=\"judge\"} 7.0")
                    .contains("slmfleet_router_shadow_tokens_total{kind=\"prompt\",route=\"paid\",target=\"slm/v2\"} 11.0")
                    .as("shadow calls are not live traffic")
                    .doesNotContain("slmfleet_router_tokens_total{kind=\"prompt\",route=\"paid\",target=\"fallback\"}");
        }
    }

    @Test
    void streamedAnswersAreComparedOnTheAssembledText() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends,
                FakeBackend.stream(backends, 20, "The total", " is 12", " EUR."));
                FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("the total is 12 eur"))) {
            install(table(fallback(llm), delegating(route("streamed"), candidate("slm", slm, 0), 1.0)));

            HttpResponse<String> answer = post(CHAT, streamingChatBody("task/streamed"), Map.of());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"content\":\" is 12\"").endsWith("data: [DONE]\n\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> comparisons("streamed", "slm/v2", Verdict.agree) == 1);
            assertThat(slm.received()).singleElement().satisfies(received -> {
                assertThat(received.model()).isEqualTo("v2");
                assertThat(received.body().has("stream")).as("the shadow call wants the whole answer").isFalse();
                assertThat(received.body().has("stream_options")).isFalse();
            });
        }
    }

    @Test
    void theCandidatesLiveShareIsServedAndComparedAgainstTheTeacher() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("teacher says yes"));
                FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("teacher says yes"))) {
            // without trusted targets the candidate's weight is its percentage; the fallback serves the rest
            install(table(fallback(llm), delegating(route("live-share"), candidate("slm", slm, 50), 1.0)));

            int requests = 40;
            int byCandidate = 0;
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> answer = chatForTask("live-share");
                assertThat(answer.statusCode()).isEqualTo(200);
                if ("slm/v2".equals(header(answer, "x-slmfleet-target"))) {
                    byCandidate++;
                }
            }

            assertThat(byCandidate).isBetween(5, 35);
            int servedByCandidate = byCandidate;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> comparisons("live-share", "slm/v2", Verdict.agree) == requests);
            assertThat(metrics()).contains("slmfleet_router_requests_seconds_count{outcome=\"ok\",route=\"live-share\",target=\"slm/v2\"} "
                    + servedByCandidate + ".0");
            assertThat(slm.count()).as("each request reached the candidate once, live or shadowed").isEqualTo(requests);
            assertThat(llm.count()).isEqualTo(requests);
        }
    }

    @Test
    void aTournamentsCandidatesAreAllComparedOnOneSampledRequestWithOneReferenceCall() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("The total is 12 EUR."));
                FakeBackend first = FakeBackend.start(backends, FakeBackend.completion("The total is 12 EUR."));
                FakeBackend second = FakeBackend.start(backends, FakeBackend.completion("Nothing to see here."))) {
            install(table(fallback(llm), new Route("tournament", List.of(), 2000, 0, null,
                    new Delegation(candidate("first", first, 0), null, 1.0, 0.9, null,
                            List.of(candidate("second", second, 0))))));

            HttpResponse<String> answer = chatForTask("tournament");

            assertThat(answer.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(comparisons("tournament", "first/v2", Verdict.agree)).isEqualTo(1);
                assertThat(comparisons("tournament", "second/v2", Verdict.disagree)).isEqualTo(1);
            });
            assertThat(first.count()).isEqualTo(1);
            assertThat(second.count()).isEqualTo(1);
            assertThat(llm.count()).as("the fallback served the caller and is the reference of both: one call").isEqualTo(1);
        }
    }

    @Test
    void comparisonsBeyondTheBoundAreSkipped() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("yes"));
                FakeBackend slm = FakeBackend.start(backends,
                        FakeBackend.delayed(1500, FakeBackend.completion("yes"), backends))) {
            install(table(fallback(llm), delegating(route("bounded", 5000, 0, null), candidate("slm", slm, 0), 1.0)));

            int requests = RouterTestProfile.SHADOW_CONCURRENCY + 3;
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(HTTP.sendAsync(request(CHAT).header("content-type", "application/json")
                        .header("x-agent-task", "bounded").POST(HttpRequest.BodyPublishers.ofString(chatBody("x")))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(comparisons("bounded", "slm/v2", Verdict.agree))
                        .isEqualTo(RouterTestProfile.SHADOW_CONCURRENCY);
                assertThat(comparisons("bounded", "slm/v2", Verdict.skipped)).isEqualTo(3);
            });
            assertThat(slm.count()).isEqualTo(RouterTestProfile.SHADOW_CONCURRENCY);
        }
    }

    @Test
    void aTableWhoseCandidateIsATrustedTargetIsRefusedAndComparisonsGoOn() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("yes"));
                FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("yes"))) {
            install(table(fallback(llm), delegating(route("reloaded"), candidate("slm", slm, 0), 1.0)));
            String served = server.tables().current().hash();

            writeTable(RoutingTableCodec.toJson(table(fallback(llm),
                    delegating(route("reloaded", adapterTarget("slm", "v2", slm, 1)), candidate("slm", slm, 0), 1.0))));
            server.reloadChangedFiles();

            assertThat(server.tables().problem()).contains("still serving " + served)
                    .contains("task reloaded: delegation candidate slm/v2 is also a target of the route");
            assertThat(chatForTask("reloaded").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> comparisons("reloaded", "slm/v2", Verdict.agree) == 1);
        }
    }

    // --- helpers

    private static Target candidate(String specialist, FakeBackend backend, int weight) {
        return adapterTarget(specialist, "v2", backend, weight);
    }

    private static Route delegating(Route route, Target candidate, double shadowRate) {
        return new Route(route.task(), route.targets(), route.timeoutMillis(), route.retries(), route.responseSchema(),
                new Delegation(candidate, null, shadowRate, 0.9, null));
    }

    private static Route judged(Route route, Target candidate, FakeBackend judge) {
        return new Route(route.task(), route.targets(), route.timeoutMillis(), route.retries(), route.responseSchema(),
                new Delegation(candidate, null, 1.0, 0.9, new Judge(judge.endpoint(), "judge-model", JUDGE_KEY_VARIABLE)));
    }

    private static List<String> authorizations(FakeBackend backend) {
        return backend.received().stream().map(Received::headers).map(headers -> headers.get("authorization")).toList();
    }

    private String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(root.resolve("/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private double comparisons(String route, String candidate, Verdict verdict) throws Exception {
        Matcher matcher = Pattern.compile("slmfleet_router_comparisons_total\\{candidate=\"" + Pattern.quote(candidate)
                + "\",route=\"" + Pattern.quote(route) + "\",verdict=\"" + verdict.name() + "\"} ([0-9.]+)")
                .matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** Comparisons started and not yet counted. */
    private static double running(String metrics) {
        Matcher matcher = Pattern.compile("slmfleet_router_comparisons_running ([0-9.]+)").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
