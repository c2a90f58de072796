package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Chromium, headless, one process per page: {@link #dumpDom} returns the DOM once the page's scripts and fetches
 * settled (within a virtual-time budget), {@link #screenshot} writes a PNG. Found as {@code DELTA_AGENT_CHROMIUM}, or
 * {@code chromium} / {@code chromium-browser} on the PATH (scripts/install-deps installs Debian's chromium).
 */
public final class HeadlessChromium {

    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    private final Path binary;
    private final Path scratch;

    private HeadlessChromium(Path binary, Path scratch) {
        this.binary = binary;
        this.scratch = scratch;
    }

    /** The browser, or empty when none is installed. */
    public static Optional<HeadlessChromium> find(Path scratch) {
        String configured = System.getenv("DELTA_AGENT_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("DELTA_AGENT_CHROMIUM=" + configured + " is not an executable file");
            }
            return Optional.of(new HeadlessChromium(p, scratch));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Paths.get(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p, scratch));
                }
            }
        }
        return Optional.empty();
    }

    /** The page's DOM after its scripts ran. */
    public String dumpDom(URI url) {
        return run(List.of("--dump-dom"), url);
    }

    /** Writes a screenshot of {@code url} to {@code png}. */
    public void screenshot(URI url, Path png, int width, int height) {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars"), url);
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> mode, URI url) {
        try {
            Path profile = Files.createTempDirectory(scratch, "chromium-profile");
            Path out = scratch.resolve(profile.getFileName() + ".out");
            Path err = scratch.resolve(profile.getFileName() + ".err");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                    "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                    "--virtual-time-budget=15000"));
            cmd.addAll(mode);
            cmd.add(url.toString());
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within " + PROCESS_TIMEOUT + " on " + url + ": "
                        + Files.readString(err));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + " on " + url + ": " + Files.readString(err));
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
