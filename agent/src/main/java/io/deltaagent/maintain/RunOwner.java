package io.deltaagent.maintain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Which CLI process recorded a run, as stored in its {@code owner} column ({@code cli:<host>:<pid>}), and whether that
 * process is gone: a run left SUBMITTED or RUNNING by a process that is gone is settled by the next one
 * ({@link Reconciler}); one whose process still runs (a parallel {@code maintain} on the same worker) is left alone.
 */
public final class RunOwner {

    private static final String PREFIX = "cli:";

    private RunOwner() {
    }

    /** This process, as an owner. */
    public static String current() {
        return PREFIX + host() + ":" + ProcessHandle.current().pid();
    }

    /** True when {@code owner} names a CLI process (not a daemon instance). */
    public static boolean isCli(String owner) {
        return owner != null && owner.startsWith(PREFIX);
    }

    /**
     * True when the CLI process {@code owner} has ended: it ran on this host and no process with its pid has run since
     * before {@code submittedAt} (a pid reused by a later process does not count). False for owners on other hosts,
     * whose fate this process cannot see.
     */
    public static boolean gone(String owner, Instant submittedAt) {
        OptionalLong pid = localPid(owner);
        if (pid.isEmpty()) {
            return false;
        }
        return ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().startInstant().map(started -> started.isAfter(submittedAt)).orElse(false))
                .orElse(true);
    }

    /** The pid of the CLI process {@code owner} when it ran on this host; empty for other hosts and daemon owners. */
    public static OptionalLong localPid(String owner) {
        if (!isCli(owner)) {
            return OptionalLong.empty();
        }
        int pidAt = owner.lastIndexOf(':');
        if (pidAt <= PREFIX.length() || !owner.substring(PREFIX.length(), pidAt).equals(host())) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(owner.substring(pidAt + 1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The host part of a CLI owner, or null. */
    public static String host(String owner) {
        int pidAt = owner == null ? -1 : owner.lastIndexOf(':');
        return isCli(owner) && pidAt > PREFIX.length() ? owner.substring(PREFIX.length(), pidAt) : null;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
