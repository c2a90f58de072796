package io.deltaagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageIT's unpacker applies layers as a runtime does: a later layer's whiteouts delete what the layers below left. */
class ImageRootfsTest {

    @TempDir
    Path tmp;

    @Test
    void whiteoutsDeleteAFileAndAnOpaqueDirectoryHidesWhatWasBelowButNotItsOwnLayer() throws Exception {
        Path lower = tmp.resolve("lower");
        write(lower, "a/keep", "a/gone", "b/old", "c/kept");
        Path upper = tmp.resolve("upper");
        write(upper, "a/.wh.gone", "b/.wh..wh..opq", "b/new", "c/added");
        Path root = Files.createDirectories(tmp.resolve("root"));

        ImageRootfs.apply(layer(lower), root);
        ImageRootfs.apply(layer(upper), root);

        assertThat(root.resolve("a/keep")).isRegularFile();
        assertThat(root.resolve("a/gone")).doesNotExist();
        assertThat(root.resolve("b/old")).doesNotExist();
        assertThat(root.resolve("b/new")).isRegularFile();
        assertThat(root.resolve("c/kept")).isRegularFile();
        assertThat(root.resolve("c/added")).isRegularFile();
        try (var all = Files.walk(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
    }

    private static void write(Path dir, String... files) throws Exception {
        for (String f : files) {
            Path p = dir.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
    }

    private Path layer(Path dir) throws Exception {
        Path tar = tmp.resolve(dir.getFileName() + ".tar.gz");
        List<String> cmd = new ArrayList<>(List.of("tar", "-czf", tar.toString(), "-C", dir.toString(), "."));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        return tar;
    }
}
