package io.deltaagent.cli.doctor;

import java.util.Objects;

/**
 * One line of {@code delta-agent doctor}'s checklist.
 *
 * @param name   what was checked: {@code config}, {@code table s3a://lake/events}, {@code catalog glue}, ...
 * @param status the verdict
 * @param detail what was found (never a secret)
 * @param fix    what to do, for WARN and FAIL; null for OK
 */
public record Check(String name, Status status, String detail, String fix) {

    /** OK and WARN pass; a FAIL makes doctor exit 1. */
    public enum Status { OK, WARN, FAIL }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (status != Status.OK && fix == null) {
            throw new IllegalArgumentException(name + ": a " + status + " needs a fix");
        }
    }

    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    public static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }
}
