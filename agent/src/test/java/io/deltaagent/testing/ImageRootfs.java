package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An OCI image tarball ({@code docker save} layout: manifest.json, the config, layer tarballs) unpacked into a root
 * filesystem the way a container runtime does it, without one: layers applied in order by GNU tar as root (owners and
 * modes kept), whiteouts honoured ({@code .wh.NAME} deletes NAME of the layers below, {@code .wh..wh..opq} empties its
 * directory). {@link #command} runs a program of the image there as the image's user and in its working directory, in a private mount namespace
 * with /proc and the basic /dev nodes mounted, as a runtime would.
 */
public record ImageRootfs(Path root, JsonNode config) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    public static ImageRootfs unpack(Path imageTar, Path dir) throws IOException, InterruptedException {
        Path image = Files.createDirectories(dir.resolve("image"));
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        tar("-xf", imageTar.toString(), "-C", image.toString());
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        for (JsonNode layer : manifest.get("Layers")) {
            apply(image.resolve(layer.asText()), root);
        }
        return new ImageRootfs(root, JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config"));
    }

    /** One layer onto the root: its whiteouts first (they apply to the layers below), then its files. */
    static void apply(Path layer, Path root) throws IOException, InterruptedException {
        for (String entry : tar("-tf", layer.toString()).lines().toList()) {
            Path target = root.resolve(entry).normalize();
            if (!target.startsWith(root)) {
                throw new IOException(layer + ": entry outside the root: " + entry);
            }
            String name = target.equals(root) ? "" : target.getFileName().toString();
            Path parent = target.getParent();
            if (name.equals(OPAQUE)) {
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> children = Files.list(parent)) {
                        for (Path child : children.toList()) {
                            deleteTree(child);
                        }
                    }
                }
            } else if (name.startsWith(WHITEOUT)) {
                deleteTree(parent.resolve(name.substring(WHITEOUT.length())));
            }
        }
        tar("--numeric-owner", "-xpf", layer.toString(), "--exclude=.wh.*", "-C", root.toString());
    }

    /** The entrypoint's argv (java and its options, the main class) followed by {@code args}. */
    public List<String> entrypoint(String... args) {
        List<String> argv = new ArrayList<>();
        config.get("Entrypoint").forEach(a -> argv.add(a.asText()));
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * A process that runs {@code argv} inside the root as the image's user, with the image's
     * environment and working directory and nothing of the caller's environment; {@code env} adds to it. The process
     * is the program itself once started (unshare and sh exec into it), so signals reach it directly.
     */
    public ProcessBuilder command(List<String> argv, Map<String, String> env) {
        String[] user = config.get("User").asText().split(":");
        // the mounts, then root, working directory, group and user (unshare -R/-w/-G/-S: chroot --userspec with a cwd)
        String script = "r=$1; shift; "
                + "mount -t proc proc \"$r/proc\" && mount -t tmpfs -o mode=755 tmpfs \"$r/dev\" && "
                + "for d in null zero random urandom; do touch \"$r/dev/$d\" && mount --bind \"/dev/$d\" \"$r/dev/$d\" || exit 125; done && "
                + "exec " + host("unshare") + " --root=\"$r\" --wd=" + config.path("WorkingDir").asText("/")
                + " --setgid " + user[1] + " --setuid " + user[0] + " -- \"$@\"";
        List<String> cmd = new ArrayList<>(List.of(host("unshare"), "--mount", "--propagation", "private", host("sh"), "-c",
                script, "sh", root.toString()));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> environment = pb.environment();
        environment.clear();
        config.path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            environment.put(kv[0], kv[1]);
        });
        // the host's tools for the mounts (the image's own PATH is where the entrypoint is looked up, after the root changes)
        environment.put("PATH", environment.getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin");
        environment.putAll(env);
        return pb;
    }

    private static String host(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return dir + "/" + tool;
            }
        }
        throw new IllegalStateException(tool + " is not installed here");
    }

    private static String tar(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tar"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
