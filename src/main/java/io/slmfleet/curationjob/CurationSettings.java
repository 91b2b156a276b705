package io.slmfleet.curationjob;

import io.slmfleet.config.OperatorConfig;

/**
 * The operator-wide settings a CurationJob's desired state depends on.
 *
 * @param image the operator's own image, which runs the {@code curate} command
 * @param cpu CPU of the curation pod
 * @param memory memory of the curation pod
 */
public record CurationSettings(String image, String cpu, String memory) {

    public static CurationSettings from(OperatorConfig config) {
        return new CurationSettings(config.image(), config.curation().cpu(), config.curation().memory());
    }
}
