package io.slmfleet.evaluationjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.economics.GpuPrices;

/** Tier 1: which candidates an evaluation waits for, and how each is called and priced. */
class CandidateResolverTest {

    @Test
    void everyCandidateResolvedIsCalledAsTheRouterWouldAndPriced() throws IOException {
        EvaluationJob job = EvaluationDesiredStateTest.example();

        CandidateResolver.Resolution resolution = resolve(job, EvaluationDesiredStateTest.readySpecialist(), true);

        assertThat(resolution.resolved()).isTrue();
        assertThat(resolution.candidates()).extracting(ResolvedCandidate::name, ResolvedCandidate::model,
                ResolvedCandidate::gpuPricePerHour).containsExactly(
                        tuple("invoice-v3", "invoice-v3", 0.8),
                        tuple("base-1b", "meta/llama-3.2-1b-instruct", 0.8),
                        tuple("teacher", "meta/llama-3.3-70b-instruct", null));
        assertThat(resolution.candidates().get(2).apiKey().name).isEqualTo("llm-api");
        assertThat(resolution.candidates().get(2).tokenPrices().inputPerMillionTokens()).isEqualTo(0.6);
    }

    @Test
    void anAdapterNotMountedYetKeepsTheEvaluationWaitingAndIsNamed() throws IOException {
        SLMSpecialist specialist = EvaluationDesiredStateTest.readySpecialist();
        specialist.getStatus().adapters.get(0).state = AdapterStatus.State.Pending;

        CandidateResolver.Resolution resolution = resolve(EvaluationDesiredStateTest.example(), specialist, true);

        assertThat(resolution.reason()).isEqualTo(CandidateResolver.CANDIDATE_NOT_READY);
        assertThat(resolution.problems()).singleElement().asString()
                .startsWith("candidate invoice-v3: adapter invoice-v3 of SLMSpecialist invoice-parser is Pending");
        assertThat(resolution.candidates()).isEmpty();
    }

    @Test
    void aSpecialistNotReadyNamesBothItsCandidates() throws IOException {
        SLMSpecialist specialist = EvaluationDesiredStateTest.readySpecialist();
        specialist.getStatus().phase = SLMSpecialistStatus.Phase.Progressing;

        CandidateResolver.Resolution resolution = resolve(EvaluationDesiredStateTest.example(), specialist, true);

        assertThat(resolution.reason()).isEqualTo(CandidateResolver.CANDIDATE_NOT_READY);
        assertThat(resolution.problems()).extracting(problem -> problem.substring(0, problem.indexOf(':')))
                .containsExactly("candidate invoice-v3", "candidate base-1b");
    }

    @Test
    void aMissingObjectOutranksOneNotReadyAndEveryProblemIsTold() throws IOException {
        SLMSpecialist specialist = EvaluationDesiredStateTest.readySpecialist();
        specialist.getStatus().phase = SLMSpecialistStatus.Phase.Progressing;
        EvaluationJob job = EvaluationDesiredStateTest.example();

        CandidateResolver.Resolution resolution = CandidateResolver.resolve(job, new CandidateResolver.Observation(
                Map.of("invoice-parser", specialist), Map.of(), Set.of()), EvaluationDesiredStateTest.PRICES);

        assertThat(resolution.reason()).isEqualTo(CandidateResolver.CANDIDATE_NOT_FOUND);
        assertThat(resolution.problems()).first().isEqualTo("candidate teacher: AgentRoute invoice-agent not found");
        assertThat(resolution.problems()).extracting(problem -> problem.substring(0, problem.indexOf(':')))
                .containsExactly("candidate teacher", "candidate invoice-v3", "candidate base-1b");
    }

    @Test
    void aMissingKeySecretIsItsOwnReason() throws IOException {
        CandidateResolver.Resolution resolution = resolve(EvaluationDesiredStateTest.example(),
                EvaluationDesiredStateTest.readySpecialist(), false);

        assertThat(resolution.reason()).isEqualTo(CandidateResolver.SECRET_NOT_FOUND);
        assertThat(resolution.problems()).containsExactly("candidate teacher: Secret llm-api (its API key) not found");
    }

    @Test
    void aGpuWithoutAPriceLeavesTheCostUnknown() throws IOException {
        CandidateResolver.Resolution resolution = CandidateResolver.resolve(EvaluationDesiredStateTest.example(),
                observation(EvaluationDesiredStateTest.readySpecialist(), true), new GpuPrices(Map.of(), Map.of()));

        assertThat(resolution.candidates()).extracting(ResolvedCandidate::gpuPricePerHour).containsOnlyNulls();
    }

    private static CandidateResolver.Resolution resolve(EvaluationJob job, SLMSpecialist specialist, boolean secretExists)
            throws IOException {
        return CandidateResolver.resolve(job, observation(specialist, secretExists), EvaluationDesiredStateTest.PRICES);
    }

    private static CandidateResolver.Observation observation(SLMSpecialist specialist, boolean secretExists)
            throws IOException {
        return new CandidateResolver.Observation(Map.of("invoice-parser", specialist),
                Map.of("invoice-agent", EvaluationDesiredStateTest.invoiceRoute()),
                secretExists ? Set.of("llm-api") : Set.of());
    }
}
