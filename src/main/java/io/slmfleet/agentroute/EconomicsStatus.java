package io.slmfleet.agentroute;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.economics.Economics;
import io.slmfleet.economics.LlmSpend;
import io.slmfleet.economics.RouteEconomics;

/**
 * status.economics from the cost model's figures, rounded so that the status moves only when a figure does: shares to
 * a whole percent, counts, costs and ratios to {@value #SIGNIFICANT_DIGITS} significant digits. A reconciler writes
 * the status when {@link #moved} says so, not on every read of the router's counters.
 */
public final class EconomicsStatus {

    static final int SIGNIFICANT_DIGITS = 3;

    private static final MathContext ROUNDING = new MathContext(SIGNIFICANT_DIGITS);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields that say when the figures were read, not what they are. */
    private static final String[] TIMES = { "since", "readTime" };

    private EconomicsStatus() {
    }

    /**
     * The status of figures read at readTime, counted from since: the window's start, or a later first read while the
     * reads do not go back a whole window (see io.slmfleet.economics.SlidingIncrements).
     */
    public static AgentRouteStatus.Economics of(Economics economics, Instant since, Instant readTime) {
        AgentRouteStatus.Economics status = new AgentRouteStatus.Economics();
        fill(status, economics.total());
        status.window = economics.window().toString();
        status.since = since.toString();
        status.readTime = readTime.toString();
        status.pricesMissing = economics.missingPrices().isEmpty() ? null : String.join("; ", economics.missingPrices());
        status.unknownTask = spend(economics.unknownTask());
        for (RouteEconomics route : economics.routes()) {
            AgentRouteStatus.RouteEconomics routeStatus = new AgentRouteStatus.RouteEconomics();
            routeStatus.task = route.route();
            fill(routeStatus, route);
            status.routes.add(routeStatus);
        }
        return status;
    }

    /**
     * The last figures, marked stale: the router's metrics could not be read, and zeros would claim traffic stopped.
     * Their age is now minus their readTime.
     */
    public static AgentRouteStatus.Economics stale(AgentRouteStatus.Economics last) {
        AgentRouteStatus.Economics stale = JSON.convertValue(last, AgentRouteStatus.Economics.class);
        stale.stale = true;
        return stale;
    }

    /** Whether next differs from previous in a figure (after rounding), not only in when it was read. */
    public static boolean moved(AgentRouteStatus.Economics previous, AgentRouteStatus.Economics next) {
        if (previous == null || next == null) {
            return previous != next;
        }
        return !figures(previous).equals(figures(next));
    }

    private static ObjectNode figures(AgentRouteStatus.Economics economics) {
        ObjectNode json = JSON.valueToTree(economics);
        json.remove(List.of(TIMES));
        return json;
    }

    private static void fill(AgentRouteStatus.EconomicsFigures status, RouteEconomics figures) {
        status.slmRequests = rounded(figures.slm().requests());
        status.llmRequests = rounded(figures.llm().requests());
        status.slmTokens = rounded(figures.slm().tokens());
        status.llmTokens = rounded(figures.llm().tokens());
        OptionalDouble share = figures.slmShare();
        status.slmShare = share.isPresent() ? (int) Math.round(share.getAsDouble() * 100) : null;
        status.shadowLlm = spend(figures.shadowLlm());
        status.judgeLlm = spend(figures.judgeLlm());
        status.llmCost = rounded(figures.llmCost());
        status.estimatedCost = rounded(figures.estimatedCost());
        status.allLlmCost = rounded(figures.allLlmCost());
        status.savingsRatio = rounded(figures.savingsRatio());
        status.costPer1kRequests = rounded(figures.costPer1kRequests());
    }

    /** A paid LLM line; null when it has neither calls nor tokens. */
    private static AgentRouteStatus.LlmSpend spend(LlmSpend spend) {
        if (spend.traffic().requests() == 0 && spend.traffic().tokens() == 0) {
            return null;
        }
        AgentRouteStatus.LlmSpend status = new AgentRouteStatus.LlmSpend();
        status.requests = rounded(spend.traffic().requests());
        status.tokens = rounded(spend.traffic().tokens());
        status.cost = rounded(spend.cost());
        return status;
    }

    static long rounded(long count) {
        return new BigDecimal(count).round(ROUNDING).longValueExact();
    }

    static Double rounded(OptionalDouble figure) {
        return figure.isPresent() ? new BigDecimal(figure.getAsDouble()).round(ROUNDING).doubleValue() : null;
    }
}
