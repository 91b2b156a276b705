package io.slmfleet.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.slmfleet.api.v1alpha1.AgentRoute;

/** Tier 2: Events against fabric8's CRUD mock API server; a repeat is counted on the Event already recorded. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

    static final String NAMESPACE = "agents";

    KubernetesClient client;

    final MovingClock clock = new MovingClock(Instant.parse("2026-03-02T10:00:00Z"));
    EventRecorder events;
    AgentRoute route;

    @BeforeEach
    void recorder() {
        events = new EventRecorder(client, clock);
        route = new AgentRoute();
        route.setMetadata(new ObjectMetaBuilder().withName("support-agent").withNamespace(NAMESPACE)
                .withUid(UUID.randomUUID().toString()).withResourceVersion("7").build());
    }

    @Test
    void theSameEventTwiceIsOneEventCountedTwice() {
        events.normal(route, "FallingBack", "no target is ready: the fallback LLM serves");
        clock.advance(Duration.ofSeconds(5));
        events.normal(route, "FallingBack", "no target is ready: the fallback LLM serves");

        assertThat(recorded()).singleElement().satisfies(event -> {
            assertThat(event.getCount()).isEqualTo(2);
            assertThat(event.getFirstTimestamp()).isEqualTo("2026-03-02T10:00:00Z");
            assertThat(event.getLastTimestamp()).isEqualTo("2026-03-02T10:00:05Z");
            assertThat(event.getReason()).isEqualTo("FallingBack");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(route.getMetadata().getUid());
        });
    }

    @Test
    void aDifferentMessageOrTypeIsASecondEvent() {
        events.normal(route, "Starting", "the router is starting: 0 of 2 replicas ready");
        events.normal(route, "Starting", "the router is starting: 1 of 2 replicas ready");
        events.warning(route, "Starting", "the router is starting: 1 of 2 replicas ready");

        assertThat(recorded()).hasSize(3).allSatisfy(event -> assertThat(event.getCount()).isEqualTo(1));
    }

    @Test
    void theSameEventOnAnotherObjectIsItsOwn() {
        AgentRoute other = new AgentRoute();
        other.setMetadata(new ObjectMetaBuilder().withName("other-agent").withNamespace(NAMESPACE)
                .withUid(UUID.randomUUID().toString()).build());
        events.normal(route, "Ready", "the router serves");
        events.normal(other, "Ready", "the router serves");

        assertThat(recorded()).hasSize(2).allSatisfy(event -> assertThat(event.getCount()).isEqualTo(1));
    }

    @Test
    void aRepeatAfterTenMinutesIsANewEvent() {
        events.normal(route, "Ready", "the router serves");
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        events.normal(route, "Ready", "the router serves");

        assertThat(recorded()).hasSize(2).allSatisfy(event -> assertThat(event.getCount()).isEqualTo(1));
    }

    @Test
    void aRepeatOfAnEventThatExpiredIsRecordedAgain() {
        events.normal(route, "Ready", "the router serves");
        recorded().forEach(event -> client.resource(event).delete()); // the API server's TTL (1h by default)
        clock.advance(Duration.ofSeconds(30));
        events.normal(route, "Ready", "the router serves");
        clock.advance(Duration.ofSeconds(30));
        events.normal(route, "Ready", "the router serves");

        assertThat(recorded()).singleElement().satisfies(event -> {
            assertThat(event.getCount()).isEqualTo(2);
            assertThat(event.getFirstTimestamp()).isEqualTo("2026-03-02T10:00:30Z");
            assertThat(event.getLastTimestamp()).isEqualTo("2026-03-02T10:01:00Z");
        });
    }

    private List<Event> recorded() {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .sorted(Comparator.comparing(Event::getFirstTimestamp)).toList();
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {

        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
