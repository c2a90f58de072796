package io.deltaagent.submit.local;

import java.util.Map;

/** How a child process ended, in words: its exit code, or the signal that killed it. */
final class ProcessExit {

    /** The JDK reports a process killed by signal N as exit value 128 + N on Unix, as shells do. */
    private static final int SIGNALLED = 128;

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"),
            Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"),
            Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"));

    private ProcessExit() {
    }

    /** "exited with code 1", "was killed by signal 9 (SIGKILL; also what the kernel's out-of-memory killer sends)". */
    static String describe(int exitValue) {
        int signal = exitValue - SIGNALLED;
        if (signal < 1 || signal > 64) {
            return "exited with code " + exitValue;
        }
        String name = NAMES.getOrDefault(signal, "SIG" + signal);
        return "was killed by signal " + signal + " (" + name
                + (signal == 9 ? "; also what the kernel's out-of-memory killer sends" : "") + ")";
    }
}
