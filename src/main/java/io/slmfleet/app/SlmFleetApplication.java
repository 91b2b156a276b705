package io.slmfleet.app;

import java.util.Arrays;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.slmfleet.config.OperatorConfig;
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
        Quarkus.waitForExit();
        return 0;
    }
}
