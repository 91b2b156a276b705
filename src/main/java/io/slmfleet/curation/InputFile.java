package io.slmfleet.curation;

/**
 * One file read.
 *
 * @param path as found under the inputs given
 * @param bytes its size on disk
 * @param lines lines read from it (all of them, or those before a problem)
 * @param problem why it could not be read to its end (a truncated gzip stream, an I/O error); null when it was
 */
public record InputFile(String path, long bytes, long lines, String problem) {
}
