package io.slmfleet.render;

import jakarta.enterprise.context.Dependent;

/** Offline render: prints the objects the operator would apply for the resources in the given files. */
@Dependent
public class RenderCommand {

    public int run(String... paths) {
        System.err.println("render: not wired yet");
        return 2;
    }
}
