package io.slmfleet.evaluationjob;

import io.slmfleet.config.OperatorConfig;
import io.slmfleet.economics.GpuPrices;

/**
 * The operator-wide settings an EvaluationJob depends on.
 *
 * @param image the operator's own image, which runs the {@code evaluate} command
 * @param cpu CPU of the evaluation pod
 * @param memory memory of the evaluation pod
 * @param gpuPrices what a specialist candidate's GPUs cost (the economics settings)
 */
public record EvaluationSettings(String image, String cpu, String memory, GpuPrices gpuPrices) {

    public static EvaluationSettings from(OperatorConfig config) {
        return new EvaluationSettings(config.image(), config.evaluation().cpu(), config.evaluation().memory(),
                new GpuPrices(config.economics().gpuPricePerHour(), config.economics().migPricePerHour()));
    }
}
