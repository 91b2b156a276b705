package io.slmfleet.economics;

import java.util.Map;

/**
 * One route's traffic over the window.
 *
 * @param route the route's task
 * @param bySpecialist what each SLMSpecialist answered: every specialist the route targets, with {@link Traffic#NONE}
 *        when it answered nothing (its idle GPU time is still the route's to pay), and any other that answered in the
 *        window
 * @param llm what the fallback LLM answered
 */
public record RouteTraffic(String route, Map<String, Traffic> bySpecialist, Traffic llm) {
    public RouteTraffic {
        bySpecialist = Map.copyOf(bySpecialist);
    }

    public Traffic slm() {
        return bySpecialist.values().stream().reduce(Traffic.NONE, Traffic::plus);
    }
}
