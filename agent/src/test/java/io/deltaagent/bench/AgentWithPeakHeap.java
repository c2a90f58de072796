package io.deltaagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the agent's CLI unchanged ({@code io.deltaagent.cli.Main}) and, as the JVM exits, writes its peak heap
 * in bytes to the file named by {@code -Dbench.heapFile}: the agent's own output stays exactly as users see it.
 */
public final class AgentWithPeakHeap {

    private AgentWithPeakHeap() {
    }

    public static void main(String[] args) {
        String heapFile = System.getProperty("bench.heapFile");
        if (heapFile == null) { // a run that measures nothing (the launcher's class-sharing training)
            io.deltaagent.cli.Main.main(args);
            return;
        }
        Path out = Path.of(heapFile);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(out, Long.toString(PeakHeap.bytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        io.deltaagent.cli.Main.main(args);
    }
}
