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
 * @param shadowLlm the delegation's shadow calls to the fallback LLM (the teacher as reference): paid, not answers
 * @param judgeLlm the delegation's calls to its judge: paid, not answers
 */
public record RouteTraffic(String route, Map<String, Traffic> bySpecialist, Traffic llm, Traffic shadowLlm, Traffic judgeLlm) {
    public RouteTraffic {
        bySpecialist = Map.copyOf(bySpecialist);
    }

    /** A route without shadow or judge calls. */
    public RouteTraffic(String route, Map<String, Traffic> bySpecialist, Traffic llm) {
        this(route, bySpecialist, llm, Traffic.NONE, Traffic.NONE);
    }

    public Traffic slm() {
        return bySpecialist.values().stream().reduce(Traffic.NONE, Traffic::plus);
    }
}
