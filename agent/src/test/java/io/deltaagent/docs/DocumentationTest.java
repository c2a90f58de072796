package io.deltaagent.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation true to the tree: docs/ARCHITECTURE.md names every package of the agent, and every relative
 * link of README.md and docs/*.md reaches a file and, for {@code #anchor}s into Markdown, a heading. Pages moved and
 * sections renamed are what break links; this finds them in seconds, without a browser.
 */
@Tag("fast")
class DocumentationTest {

    private static final Path REPO = Path.of(System.getProperty("deltaagent.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path SOURCES = REPO.resolve("agent/src/main/java/io/deltaagent");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void theArchitecturePageNamesEveryPackage() throws IOException {
        String architecture = Files.readString(REPO.resolve("docs/ARCHITECTURE.md"));
        List<String> packages = packages();
        assertThat(packages).as("packages under " + SOURCES).contains("audit", "cli", "deltalog", "submit.local");

        assertThat(packages).as("docs/ARCHITECTURE.md, \"Packages as layers\", has a row for each package: add the missing"
                        + " ones with their layer and what they hold")
                .allSatisfy(p -> assertThat(architecture).as(p).contains("| `" + p + "` |"));
    }

    @Test
    void everyRelativeLinkOfTheDocsReachesItsFileAndHeading() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            for (String target : links(page)) {
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto: are not checked here
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(linked)) {
                    broken.add(REPO.relativize(page) + ": " + target + ": no such file " + REPO.relativize(linked));
                } else if (hash >= 0 && linked.toString().endsWith(".md") && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(REPO.relativize(page) + ": " + target + ": no heading with that anchor in " + REPO.relativize(linked));
                }
            }
        }
        assertThat(broken).as("links checked in " + pages.size() + " pages").isEmpty();
    }

    /** The packages that hold sources, dotted below io.deltaagent ({@code submit.local}). */
    private static List<String> packages() throws IOException {
        try (Stream<Path> dirs = Files.walk(SOURCES)) {
            return dirs.filter(Files::isDirectory).filter(DocumentationTest::holdsSources)
                    .map(d -> SOURCES.relativize(d).toString().replace('/', '.')).filter(p -> !p.isEmpty()).sorted().toList();
        }
    }

    private static boolean holdsSources(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Link targets outside fenced code blocks. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.stripLeading().startsWith("```")) {
                code = !code;
            } else if (!code) {
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    targets.add(m.group(1));
                }
            }
        }
        return targets;
    }

    /** The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.stripLeading().startsWith("```")) {
                code = !code;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!code && m.matches()) {
                String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String anchor = slug;
                for (int n = 1; !anchors.add(anchor); n++) {
                    anchor = slug + "-" + n;
                }
            }
        }
        return anchors;
    }
}
