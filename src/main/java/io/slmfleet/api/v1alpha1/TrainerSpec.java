package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "self.preset != 'custom' || (has(self.image) && has(self.command) && size(self.command) > 0)",
        message = "the custom preset needs trainer.image and trainer.command")
@ValidationRule(value = "self.preset == 'custom' || ((!has(self.command) || size(self.command) == 0) "
        + "&& (!has(self.args) || size(self.args) == 0))",
        message = "trainer.command and trainer.args are only for the custom preset; presets build their own command line")
public class TrainerSpec {

    public enum Preset {
        trl,
        torchtune,
        nemo,
        custom
    }

    @Default("trl")
    @JsonPropertyDescription("trl (Hugging Face TRL, default), torchtune, nemo (NVIDIA NeMo), or custom (your image and command).")
    public Preset preset = Preset.trl;

    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Trainer image. Empty: the preset's pinned default image.")
    public String image;

    @Size(max = 32)
    @JsonPropertyDescription("Entrypoint of a custom trainer; it reads /etc/slmfleet/finetune.json.")
    public List<String> command = new ArrayList<>();

    @Size(max = 128)
    @JsonPropertyDescription("Arguments of a custom trainer.")
    public List<String> args = new ArrayList<>();
}
