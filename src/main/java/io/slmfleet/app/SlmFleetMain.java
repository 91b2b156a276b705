package io.slmfleet.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.slmfleet.config.OperatorConfig.Mode;

/**
 * One image, five commands: {@code operator} (default), {@code router} (the agent router's data plane),
 * {@code render <files or directories>} (prints what the operator would apply, with no cluster),
 * {@code curate --input ... --output ...} (turns usage records into a data set; the CurationJob's pod runs it) and
 * {@code evaluate --dataset ... --candidate ...} (scores model servers against a data set's reference answers).
 */
@QuarkusMain
public class SlmFleetMain {

    public static void main(String... args) {
        Mode mode = args.length > 0 && isMode(args[0]) ? Mode.valueOf(args[0]) : null;
        if (mode != null) {
            System.setProperty("slmfleet.mode", mode.name());
        }
        if (mode == Mode.render || mode == Mode.curate || mode == Mode.evaluate) {
            // A command-line tool: stdout carries only its output, nothing listens, nothing talks to a cluster.
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.http.port", "0");
            System.setProperty("quarkus.log.console.stderr", "true");
            System.setProperty("quarkus.log.level", "WARN");
            System.setProperty("quarkus.banner.enabled", "false");
        }
        if (mode == Mode.router) {
            // The router listens on a server of its own (RouterServer), which hands /q/health and /q/metrics to
            // Quarkus' routes: Quarkus' own listener would only be a second port to secure.
            System.setProperty("quarkus.http.host-enabled", "false");
        }
        Quarkus.run(SlmFleetApplication.class, args);
    }

    private static boolean isMode(String argument) {
        for (Mode mode : Mode.values()) {
            if (mode.name().equals(argument)) {
                return true;
            }
        }
        return false;
    }
}
