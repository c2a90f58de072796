package io.deltaagent.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * Un-ignores a signal the process inherited as ignored ({@code nohup} ignores SIGHUP before it starts the JVM). The JVM
 * refuses to handle a shutdown-class signal that was ignored at start and says nothing ({@code sun.misc.Signal.handle}
 * returns {@code SIG_IGN}); once the disposition is back to the default it installs the handler as usual. The JDK has
 * no call for this, so libc's {@code signal(2)} is called through JNA, loaded only when it is needed.
 */
final class IgnoredSignal {

    /** The one libc call this needs. */
    interface LibC extends Library {
        Pointer signal(int signal, Pointer handler);
    }

    private IgnoredSignal() {
    }

    /**
     * Sets {@code signal}'s disposition back to the default ({@code SIG_DFL}: {@code Pointer.NULL}); install the handler
     * right after, as until then the signal does what its default does.
     *
     * @return empty when done, else why not (no libc, no JNA native support for this platform)
     */
    static Optional<String> resetToDefault(int signal) {
        try {
            Pointer previous = Native.load("c", LibC.class).signal(signal, Pointer.NULL);
            // SIG_ERR is (void (*)(int)) -1
            return Pointer.nativeValue(previous) == -1 ? Optional.of("signal(2) failed: errno " + Native.getLastError())
                    : Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
