package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.slmfleet.api.ItemMaxLength;

/** The NIM container and the model it serves. */
public class ModelSpec {

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("The model id the NIM serves (the OpenAI \"model\" field), e.g. nvidia/nvidia-nemotron-nano-9b-v2.")
    public String name;

    @Required
    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("NIM container image, pinned by tag or digest, e.g. nvcr.io/nim/nvidia/nvidia-nemotron-nano-9b-v2:1.0.0.")
    public String image;

    @Size(max = 8)
    @ItemMaxLength(253)
    @ValidationRule(value = "self.all(s, s.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'))",
            message = "imagePullSecrets entries must be Secret names (DNS-1123 subdomains)")
    @JsonPropertyDescription("Secrets used to pull the image (e.g. an nvcr.io registry Secret).")
    public List<String> imagePullSecrets = new ArrayList<>();

    @JsonPropertyDescription("Secret key holding the NGC API key; passed to NIM as NGC_API_KEY from the Secret, never copied.")
    public SecretKeyRef ngcApiKeySecret;

    @Pattern("^[A-Za-z0-9_.:-]*$")
    @JsonPropertyDescription("NIM_MODEL_PROFILE: the optimized profile (id or name) to run. Empty: NIM picks one for the GPU.")
    public String profile;

    @Min(512)
    @Max(1048576)
    @JsonPropertyDescription("NIM_MAX_MODEL_LEN: maximum context length in tokens. Empty: the model's own.")
    public Integer maxModelLen;
}
