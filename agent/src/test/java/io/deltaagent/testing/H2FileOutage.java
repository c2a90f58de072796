package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded history database that goes away and comes back: its file is moved aside and replaced by a directory H2
 * cannot open, then restored.
 *
 * @param file  the database file ({@code NAME.mv.db})
 * @param aside where the file waits meanwhile
 */
public record H2FileOutage(Path file, Path aside) {

    public void begin() {
        try {
            Files.move(file, aside);
            Files.createDirectory(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void end() throws IOException {
        Files.delete(file);
        Files.move(aside, file);
    }
}
