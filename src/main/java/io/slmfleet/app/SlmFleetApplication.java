package io.slmfleet.app;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.curation.CurateCommand;
import io.slmfleet.evaluation.EvaluateCommand;
import io.slmfleet.render.RenderCommand;

/** Runs the command chosen in {@link SlmFleetMain}; the operator and the router start on StartupEvent. */
public class SlmFleetApplication implements QuarkusApplication {

    @Inject
    OperatorConfig config;

    @Inject
    Instance<RenderCommand> render;

    @Override
    public int run(String... args) {
        if (config.mode() == OperatorConfig.Mode.render) {
            return render.get().run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (config.mode() == OperatorConfig.Mode.curate) {
            return new CurateCommand(Clock.systemUTC()).run(List.of(args).subList(1, args.length), System.out,
                    System.err);
        }
        if (config.mode() == OperatorConfig.Mode.evaluate) {
            return new EvaluateCommand().run(List.of(args).subList(1, args.length), System.out, System.err);
        }
        Quarkus.waitForExit();
        return 0;
    }
}
