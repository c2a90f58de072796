package io.deltaagent.submit;

import java.util.Optional;

/** Reads a job's result document from where the job wrote it; empty when it is not there. */
@FunctionalInterface
public interface ResultReader {
    Optional<String> read(String location);
}
