package io.slmfleet.curation;

/**
 * One file of the data set.
 *
 * @param name relative to the output directory
 * @param examples lines in it
 * @param bytes its size
 * @param sha256 hex
 */
public record OutputFile(String name, long examples, long bytes, String sha256) {
}
