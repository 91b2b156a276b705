package io.slmfleet.slmspecialist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.render.Manifests;

/**
 * The upstream facts the NIM rendering and the CRDs rely on, pinned so that a NIM image bump re-opens them. The images
 * our examples and goldens name are NIM for LLMs 1.x (llama-3.2-1b-instruct 1.8.5 and 1.12.0).
 * <ul>
 * <li>NIM for LLMs 1.x configuration.html (e.g. docs.nvidia.com/nim/large-language-models/1.12.0/configuration.html):
 * {@code NIM_PEFT_SOURCE}, {@code NIM_PEFT_REFRESH_INTERVAL}, {@code NIM_MAX_GPU_LORAS}, {@code NIM_MAX_CPU_LORAS},
 * {@code NIM_MAX_LORA_RANK} (the highest rank NIM loads; an adapter above it is not served). NIM's vLLM backend maps
 * them to vLLM's {@code max_loras}, {@code max_cpu_loras} and {@code max_lora_rank}.
 * <li>NIM for LLMs peft.html, "Hugging Face Transformers format": the supported target modules are gate_proj, o_proj,
 * up_proj, down_proj, k_proj, q_proj and v_proj (the NeMo format adds attention_qkv, which our trainers never write).
 * <li>vLLM's LoRAConfig ({@code vllm/config.py}, {@code possible_max_ranks = (8, 16, 32, 64, 128, 256, 320, 512)} in
 * the 0.6–0.10 lines NIM 1.x ships; {@code vllm/config/lora.py} {@code MaxLoRARanks} in later ones): any other
 * max_lora_rank is refused at start. Ours stop at 256, the FineTuneJob's highest rank.
 * </ul>
 */
class NimContractTest {

    private static final List<String> NIM_HF_TARGET_MODULES = List.of("gate_proj", "o_proj", "up_proj", "down_proj",
            "k_proj", "q_proj", "v_proj");
    private static final List<Integer> VLLM_MAX_LORA_RANKS = List.of(8, 16, 32, 64, 128, 256);

    @Test
    void theFineTuneJobAcceptsExactlyTheTargetModulesNimServesAdaptersOn() throws IOException {
        String rule = celRule(Path.of("crds/finetunejobs.slmfleet.io-v1.yml"), "targetModules entries must be among");

        assertThat(quotedWords(rule)).containsExactlyInAnyOrderElementsOf(NIM_HF_TARGET_MODULES);
    }

    @Test
    void theSpecialistsMaxRankIsOneVllmAccepts() throws IOException {
        String rule = celRule(Path.of("crds/slmspecialists.slmfleet.io-v1.yml"), "lora.maxRank must be one of");

        assertThat(rule).contains("self.maxRank in " + VLLM_MAX_LORA_RANKS.toString());
    }

    @Test
    void aNimServingAdaptersIsGivenEveryLimitItsAdaptersAreCheckedAgainst() throws IOException {
        List<HasMetadata> input = Manifests.parse(
                Files.readString(Path.of("src/test/resources/slmspecialist/full.yaml")));
        SLMSpecialist specialist = Manifests.ofKind(input, SLMSpecialist.class).get(0);
        FineTuneJob job = Manifests.ofKind(input, FineTuneJob.class).get(0);

        Map<String, String> env = NimDeployment.desired(specialist, ResolvedAdapters.resolve(specialist, name -> Optional.of(job)),
                SpecialistDesiredStateTest.SETTINGS).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().filter(variable -> variable.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

        assertThat(env).containsEntry("NIM_PEFT_SOURCE", Nim.ADAPTERS_PATH)
                .containsEntry("NIM_MAX_LORA_RANK", String.valueOf(specialist.getSpec().lora.maxRank))
                .containsKeys("NIM_PEFT_REFRESH_INTERVAL", "NIM_MAX_GPU_LORAS", "NIM_MAX_CPU_LORAS");
    }

    /** The CEL rule of the CRD whose message starts with {@code messageStart}. */
    private static String celRule(Path crd, String messageStart) throws IOException {
        JsonNode root = new YAMLMapper().readTree(crd.toFile());
        return root.findValues("x-kubernetes-validations").stream()
                .flatMap(rules -> StreamSupport.stream(rules.spliterator(), false))
                .filter(rule -> rule.path("message").asText().startsWith(messageStart))
                .map(rule -> rule.path("rule").asText())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CEL rule with message " + messageStart + " in " + crd));
    }

    private static List<String> quotedWords(String rule) {
        return Pattern.compile("'([a-z_]+)'").matcher(rule).results().map(match -> match.group(1)).toList();
    }
}
