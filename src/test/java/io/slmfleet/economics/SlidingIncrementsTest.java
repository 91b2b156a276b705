package io.slmfleet.economics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.slmfleet.delegation.figures.CounterAccumulator.Series;

class SlidingIncrementsTest {

    private static final Series REQUESTS = new Series(RouterTraffic.REQUESTS, Map.of("route", "parsing"));
    private static final Series TOKENS = new Series(RouterTraffic.TOKENS, Map.of("route", "parsing"));
    private static final Instant START = Instant.parse("2026-12-02T03:00:00Z");

    @Test
    void incrementsSpanTheReadsThereAreUntilTheyGoBackAWindow() {
        SlidingIncrements window = new SlidingIncrements(Duration.ofMinutes(10));

        SlidingIncrements.Increments first = window.read(START, Map.of(REQUESTS, 100.0));
        assertThat(first.since()).isEqualTo(START);
        assertThat(first.bySeries()).containsEntry(REQUESTS, 0.0);

        SlidingIncrements.Increments fiveMinutes = window.read(START.plusSeconds(300), Map.of(REQUESTS, 150.0, TOKENS, 40.0));
        assertThat(fiveMinutes.since()).isEqualTo(START);
        // a series first seen later grew from nothing
        assertThat(fiveMinutes.bySeries()).containsEntry(REQUESTS, 50.0).containsEntry(TOKENS, 40.0);
    }

    @Test
    void oldReadsLeaveOnceANewerOneCoversTheWindowStart() {
        SlidingIncrements window = new SlidingIncrements(Duration.ofMinutes(10));
        window.read(START, Map.of(REQUESTS, 100.0));
        window.read(START.plusSeconds(300), Map.of(REQUESTS, 150.0));
        window.read(START.plusSeconds(600), Map.of(REQUESTS, 200.0));

        SlidingIncrements.Increments elevenMinutes = window.read(START.plusSeconds(660), Map.of(REQUESTS, 230.0));
        // the 00:00 read is older than the window start 00:01 and the 00:05 read is after it: 00:00 still starts it
        assertThat(elevenMinutes.since()).isEqualTo(START);
        assertThat(elevenMinutes.bySeries()).containsEntry(REQUESTS, 130.0);

        SlidingIncrements.Increments sixteenMinutes = window.read(START.plusSeconds(960), Map.of(REQUESTS, 260.0));
        // window start 00:06: the 00:05 read is the last at or before it
        assertThat(sixteenMinutes.since()).isEqualTo(START.plusSeconds(300));
        assertThat(sixteenMinutes.until()).isEqualTo(START.plusSeconds(960));
        assertThat(sixteenMinutes.bySeries()).containsEntry(REQUESTS, 110.0);
    }
}
