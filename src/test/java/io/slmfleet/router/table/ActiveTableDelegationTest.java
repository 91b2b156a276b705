package io.slmfleet.router.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTable.Delegation;
import io.slmfleet.routing.RoutingTable.Fallback;
import io.slmfleet.routing.RoutingTable.Judge;
import io.slmfleet.routing.RoutingTable.Route;
import io.slmfleet.routing.RoutingTable.Target;
import io.slmfleet.routing.RoutingTableCodec;

class ActiveTableDelegationTest {

    private static final Target TRUSTED = new Target("parser", "v3", "http://parser:8000/v1", "v3", 10);
    private static final Fallback FALLBACK = new Fallback("https://llm.example.com/v1", "big", "LLM_KEY", List.of());

    private static Target candidate(int weight) {
        return new Target("parser", "v4", "http://parser:8000/v1", "v4", weight);
    }

    private static RoutingTable table(Fallback fallback, List<Target> targets, Delegation delegation) {
        return new RoutingTable(RoutingTable.API_VERSION, "ns/route",
                List.of(new Route("parsing", targets, 1000, 0, null, delegation)), fallback, null);
    }

    private static ActiveTable compile(RoutingTable table) {
        return ActiveTable.compile(table, "sha256:x", name -> switch (name) {
            case "LLM_KEY" -> "llm-secret";
            case "JUDGE_KEY" -> "judge-secret";
            default -> null;
        });
    }

    @Test
    void tablesWrittenBeforeDelegationStayReadable() {
        String old = """
                {"apiVersion": "slmfleet.io/routing-table/v1", "route": "ns/route",
                 "routes": [{"task": "parsing", "timeoutMillis": 1000, "retries": 0,
                   "targets": [{"specialist": "parser", "endpoint": "http://parser:8000/v1", "model": "m", "weight": 1}]}]}
                """;
        RoutingTable table = RoutingTableCodec.fromJson(old);

        assertThat(table.routes().get(0).delegation()).isNull();
        assertThat(compile(table).route("parsing").delegation()).isNull();
        assertThat(RoutingTableCodec.toJson(table)).doesNotContain("delegation");
    }

    @Test
    void delegationRoundTripsWithTheFallbackAsDefaultReference() {
        RoutingTable table = table(FALLBACK, List.of(TRUSTED),
                new Delegation(candidate(0), null, 0.1, 0.9, new Judge("http://judge:8000/v1", "judge", "JUDGE_KEY")));

        RoutingTable read = RoutingTableCodec.fromJson(RoutingTableCodec.toJson(table));

        assertThat(read).isEqualTo(table);
        assertThat(read.routes().get(0).delegation().reference()).isEqualTo(Delegation.REFERENCE_FALLBACK);
    }

    @Test
    void aCandidateWithWeightJoinsThePickAndOneWithoutIsOnlyCompared() {
        ActiveRoute live = compile(table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(5), null, 0.1, 0.9, null)))
                .route("parsing");
        ActiveRoute shadowOnly = compile(table(FALLBACK, List.of(TRUSTED),
                new Delegation(candidate(0), null, 0.1, 0.9, null))).route("parsing");

        assertThat(live.targets()).extracting(ActiveTarget::label, ActiveTarget::weight, ActiveTarget::role)
                .containsExactly(Tuple.tuple("parser/v3", 10, ActiveTarget.Role.TRUSTED),
                        Tuple.tuple("parser/v4", 5, ActiveTarget.Role.CANDIDATE));
        assertThat(shadowOnly.targets()).extracting(ActiveTarget::label).containsExactly("parser/v3");
        assertThat(shadowOnly.delegation().candidate().label()).isEqualTo("parser/v4");
        assertThat(shadowOnly.delegation().references()).extracting(ActiveTarget::label).containsExactly("fallback");
    }

    @Test
    void withoutTrustedTargetsTheFallbackJoinsThePickAndAnswersForThem() {
        ActiveRoute route = compile(table(FALLBACK, List.of(),
                new Delegation(candidate(25), Delegation.REFERENCE_TARGETS, 1, 0.9, null))).route("parsing");

        assertThat(route.targets()).extracting(ActiveTarget::label, ActiveTarget::weight)
                .containsExactly(Tuple.tuple("fallback", 75), Tuple.tuple("parser/v4", 25));
        assertThat(route.delegation().references()).extracting(ActiveTarget::role)
                .containsExactly(ActiveTarget.Role.FALLBACK);
    }

    @Test
    void aCandidateWithTheWholeShareLeavesTheOthersToCompareWith() {
        ActiveRoute withoutTargets = compile(table(FALLBACK, List.of(),
                new Delegation(candidate(100), null, 0.1, 0.9, null))).route("parsing");
        Target trustedAtZero = new Target(TRUSTED.specialist(), TRUSTED.adapter(), TRUSTED.endpoint(), TRUSTED.model(), 0);
        ActiveRoute withTargets = compile(table(FALLBACK, List.of(trustedAtZero),
                new Delegation(candidate(100), Delegation.REFERENCE_TARGETS, 0.1, 0.9, null))).route("parsing");

        assertThat(withoutTargets.targets()).extracting(ActiveTarget::label).containsExactly("parser/v4");
        assertThat(withoutTargets.delegation().references()).extracting(ActiveTarget::label).containsExactly("fallback");
        assertThat(withTargets.targets()).extracting(ActiveTarget::label).containsExactly("parser/v4");
        assertThat(withTargets.delegation().references()).extracting(ActiveTarget::label, ActiveTarget::index)
                .containsExactly(Tuple.tuple("parser/v3", -1));
    }

    @Test
    void aTargetOfWeightZeroNeedsACandidateServingInItsPlace() {
        Target trustedAtZero = new Target(TRUSTED.specialist(), TRUSTED.adapter(), TRUSTED.endpoint(), TRUSTED.model(), 0);

        assertThatThrownBy(() -> compile(table(FALLBACK, List.of(trustedAtZero), new Delegation(candidate(0), null, 0.1,
                0.9, null)))).hasMessageContaining("has weight 0, not above 0 (0 only while a delegation's candidate serves");
        assertThatThrownBy(() -> compile(table(FALLBACK, List.of(), new Delegation(candidate(150), null, 0.1, 0.9, null))))
                .hasMessageContaining("without targets its weight is a percentage of the route, at most 100");
    }

    @Test
    void theJudgeGetsItsOwnKeyAndNeverShowsIt() {
        ActiveJudge judge = compile(table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(0), null, 0.1, 0.9,
                new Judge("http://judge:8000/v1", "judge", "JUDGE_KEY")))).route("parsing").delegation().judge();

        assertThat(judge.authorization()).isEqualTo("Bearer judge-secret");
        assertThat(judge.toString()).doesNotContain("secret");
    }

    @Test
    void refusesDelegationsThatCannotBeServed() {
        record Case(String why, RoutingTable table, String problem) {
        }
        List<Case> cases = List.of(
                new Case("candidate equal to a trusted target",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(
                                new Target("parser", "v3", "http://other:8000/v1", "v3", 0), null, 0.1, 0.9, null)),
                        "task parsing: delegation candidate parser/v3 is also a target of the route"),
                new Case("fallback reference without a fallback",
                        table(null, List.of(TRUSTED), new Delegation(candidate(0), null, 0.1, 0.9, null)),
                        "compares against the fallback, but the table has no fallback"),
                new Case("unknown reference",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(0), "teacher", 0.1, 0.9, null)),
                        "reference 'teacher' is neither fallback nor targets"),
                new Case("shadow rate above 1",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(0), null, 1.5, 0.9, null)),
                        "shadowRate 1.5 is not in [0, 1]"),
                new Case("threshold below 0",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(0), null, 0.1, -0.1, null)),
                        "agreementThreshold -0.1 is not in [0, 1]"),
                new Case("negative candidate weight",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(-1), null, 0.1, 0.9, null)),
                        "has weight -1, below 0"),
                new Case("candidate without endpoint",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(
                                new Target("parser", "v4", null, "v4", 0), null, 0.1, 0.9, null)),
                        "delegation target parser/v4"),
                new Case("judge without model",
                        table(FALLBACK, List.of(TRUSTED), new Delegation(candidate(0), null, 0.1, 0.9,
                                new Judge("http://judge:8000/v1", " ", null))),
                        "delegation judge has no model"));
        for (Case c : cases) {
            assertThatThrownBy(() -> compile(c.table())).as(c.why()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c.problem());
        }
    }
}
