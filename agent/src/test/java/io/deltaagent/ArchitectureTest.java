package io.deltaagent;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.deltaagent.audit.AuditOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The package map as a test: each package may use only the packages on lower levels, never one on its own level or
 * above, and no two packages may depend on each other in a circle. A new package fails here until it is given a level
 * (and docs/ARCHITECTURE.md shows it). Only the agent's own main classes are checked; tests may reach anywhere.
 */
@Tag("fast")
class ArchitectureTest {

    /**
     * Bottom-up: measuring knows nothing of settings, settings nothing of policy, policy nothing of running jobs, and
     * the job backends nothing of the run lifecycle that drives them.
     */
    static final List<List<String>> LEVELS = List.of(
            List.of("error"),
            List.of("storage", "jobs", "deltalog.checksum"), // storage access (with storage.throttle); the job contract; checksum files (pure)
            List.of("health", "features", "deltalog.storage"), // what a table's health is: values, no I/O; the Delta table
                                                  // features each runtime supports; the port the log readers reach storage by
            List.of("deltalog.actions"),          // one log file's actions, walked: commit JSON, checkpoint Parquet columns
            List.of("deltalog.segment"),          // which log files a version is made of: listing, segment, compactions
            List.of("deltalog.history"),          // the newest commits: last OPTIMIZE, VACUUM and write, commit summaries
            List.of("deltalog.replay"),           // a segment's live files and tallies: checkpoint actions, recent commits
            List.of("deltalog"),                  // reads a table's log into health figures, against plain thresholds
            List.of("config"),                    // the config file and its typed settings
            List.of("catalog", "discover"),       // tables from catalogs and from listings
            List.of("policy"),                    // breaches, actions and windows, from settings and health
            List.of("store"),                     // the history database
            List.of("audit", "plan", "cost"),     // one table's audit; the plan of actions; cost from rates and sizes
            List.of("submit"),                    // the job backends
            List.of("maintain"),                  // one run's lifecycle
            List.of("report", "daemon"),
            List.of("cli"));

    private static JavaClasses classes;

    @BeforeAll
    static void importAgent() {
        // the agent's main classes only, read from where they were compiled (scanning the test classpath's jars for the
        // package takes most of a minute and would also find other modules' classes)
        classes = new ClassFileImporter().importLocations(List.of(mainClasses()));
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layers().check(classes);
    }

    @Test
    void noPackagesDependOnEachOtherInACircle() {
        // a slice per layer: deltalog.checksum is one of its own, below deltalog (health may use it, deltalog too)
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return c.getPackageName().startsWith("io.deltaagent.") ? SliceIdentifier.of(layerOf(c.getPackageName()))
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the agent's layers";
            }
        }).should().beFreeOfCycles().check(classes);
    }

    @Test
    void theRulesSeeTheWholeAgent() {
        // a rule over an import that found nothing would pass whatever the code does
        assertThat(classes.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("io.deltaagent."))
                .map(ArchitectureTest::layerOf).distinct())
                .containsAll(LEVELS.stream().flatMap(List::stream).filter(p -> !p.equals("jobs")).toList());
    }

    /** A layer's packages (with their sub-packages, but for deltalog's): the store's include its Java database migrations, which Flyway finds in db.migration. */
    private static String[] packagesOf(String layer) {
        if (layer.equals("store")) {
            return new String[] {"io.deltaagent.store..", "db.migration.."};
        }
        // the log readers' sub-packages are layers of their own: each must be given a level
        return layer.equals("deltalog") ? new String[] {"io.deltaagent.deltalog"} : new String[] {"io.deltaagent." + layer + ".."};
    }

    /** The layer of an agent package: the longest layer name it is, or lies under (io.deltaagent.submit.local: submit). */
    static String layerOf(String packageName) {
        String p = packageName.substring("io.deltaagent.".length());
        return LEVELS.stream().flatMap(List::stream).filter(l -> p.equals(l) || p.startsWith(l + "."))
                .max(java.util.Comparator.comparingInt(String::length)).orElse(p.split("\\.")[0]);
    }

    /** A layer's classes: its packages, less any sub-package that is a layer of its own (deltalog.checksum). */
    private static DescribedPredicate<JavaClass> classesOf(String layer) {
        DescribedPredicate<JavaClass> in = JavaClass.Predicates.resideInAnyPackage(packagesOf(layer));
        for (String other : LEVELS.stream().flatMap(List::stream).toList()) {
            if (other.startsWith(layer + ".")) {
                in = in.and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(packagesOf(other))));
            }
        }
        return in.as(String.join(", ", packagesOf(layer)));
    }

    @Test
    void aReaderThatTakesTheConfigFailsTheBuild() throws Exception {
        // the agent as it is, plus one deltalog class (in the test sources) that imports config, a layer above it
        JavaClasses withProbe = new ClassFileImporter().importLocations(List.of(mainClasses(),
                Location.of(Class.forName("io.deltaagent.deltalog.UpwardImportProbe").getResource("UpwardImportProbe.class"))));

        assertThat(layers().evaluate(withProbe).getFailureReport().getDetails()).as("only the probe's uses of the config")
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d).contains("io.deltaagent.deltalog.UpwardImportProbe", "io.deltaagent.config.TableSettings"));
    }

    private static Location mainClasses() {
        return Location.of(AuditOutcome.class.getProtectionDomain().getCodeSource().getLocation());
    }

    static LayeredArchitecture layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (List<String> level : LEVELS) {
            for (String p : level) {
                // the job contract is another module's jar: its classes are targets here, never imported
                rule = (p.equals("jobs") ? rule.optionalLayer(p) : rule.layer(p)).definedBy(classesOf(p));
            }
        }
        List<String> below = new ArrayList<>();
        for (List<String> level : LEVELS) {
            for (String p : level) {
                rule = below.isEmpty() ? rule.whereLayer(p).mayNotAccessAnyLayer()
                        : rule.whereLayer(p).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            below.addAll(level);
        }
        return rule;
    }
}
