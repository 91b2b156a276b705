package io.slmfleet.delegation.figures;

import java.util.Optional;

import io.slmfleet.delegation.StepFigures;

/** Reads a delegation's figures from the router's metrics. */
public interface FiguresSource {

    /**
     * @return the window's figures; empty when they cannot be read (a router pod or Prometheus unreachable, no router
     *         scraped): never zeros in place of unknown figures
     */
    Optional<StepFigures> read(FiguresWindow window);
}
