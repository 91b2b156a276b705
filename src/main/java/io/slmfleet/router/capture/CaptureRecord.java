package io.slmfleet.router.capture;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One sampled exchange, as handed from the request path to the writer: nothing is redacted or serialized before the
 * writer thread takes it, so the request pays only for the queue offer.
 *
 * @param directory where the table said records go
 * @param redact whether personal data is redacted before writing
 * @param record the JSON record; the writer redacts its request and response in place
 */
public record CaptureRecord(Path directory, boolean redact, ObjectNode record) {
}
