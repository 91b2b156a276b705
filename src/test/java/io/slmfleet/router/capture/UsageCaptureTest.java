package io.slmfleet.router.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class UsageCaptureTest {

    /**
     * The writer is held inside its first write (the clock it asks for the file name blocks): the queue of 2 fills up,
     * and every further offer must return at once, dropped and counted.
     */
    @Test
    void aFullQueueDropsAndCountsRecordsWithoutBlocking(@TempDir Path directory) throws Exception {
        CountDownLatch writerInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Clock blockingClock = new Clock() {
            @Override
            public Instant instant() {
                writerInside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Instant.parse("2026-01-01T00:00:00Z");
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        AtomicInteger written = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        UsageCapture capture = new UsageCapture(2, 1 << 20, "router-0", blockingClock, new UsageCapture.Listener() {
            @Override
            public void written(int records) {
                written.addAndGet(records);
            }

            @Override
            public void dropped() {
                dropped.incrementAndGet();
            }

            @Override
            public void failed(int records) {
            }
        });
        ObjectMapper mapper = new ObjectMapper();

        capture.offer(new CaptureRecord(directory, true, mapper.createObjectNode().put("n", 0)));
        assertThat(writerInside.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 7; i++) {
            capture.offer(new CaptureRecord(directory, true, mapper.createObjectNode().put("n", i)));
        }
        assertThat(dropped).hasValue(5);
        release.countDown();
        capture.close();

        assertThat(written).hasValue(3);
        try (var files = Files.list(directory)) {
            Path file = files.findFirst().orElseThrow();
            assertThat(file.getFileName().toString()).isEqualTo("usage-router-0-20260101T000000.000Z-0.jsonl");
            assertThat(Files.readAllLines(file)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        }
    }

    @Test
    void writeFailuresAreCountedNotThrown(@TempDir Path directory) throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");
        AtomicInteger failed = new AtomicInteger();
        UsageCapture capture = new UsageCapture(10, 1 << 20, "router-0", Clock.systemUTC(), new UsageCapture.Listener() {
            @Override
            public void written(int records) {
            }

            @Override
            public void dropped() {
            }

            @Override
            public void failed(int records) {
                failed.addAndGet(records);
            }
        });

        capture.offer(new CaptureRecord(notADirectory.resolve("usage"), false, new ObjectMapper().createObjectNode()));
        capture.close();

        assertThat(failed).hasValue(1);
    }
}
