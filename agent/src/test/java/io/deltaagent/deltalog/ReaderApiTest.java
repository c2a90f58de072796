package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The log reader's API speaks no Hadoop (issue 26): every public or protected constructor, method and field of the
 * public classes of {@code io.deltaagent.deltalog} and its sub-packages takes and gives only types that are not
 * {@code org.apache.hadoop}'s, type arguments included. Hadoop stays behind the storage port,
 * {@code deltalog.storage} ({@code LogStorage}, {@code LogStore}; {@code HadoopStorage} and {@code HadoopLogStore} build
 * on a Configuration and a FileSystem), the one package exempt. {@code io.deltaagent.storage.TableLocation} holds a
 * Hadoop Path but is not itself a Hadoop type: it stays (out of scope here).
 */
@Tag("fast")
class ReaderApiTest {

    /** The port and its Hadoop implementation: the one place the readers' Hadoop types may show. */
    private static final Set<String> EXEMPT = Set.of("io.deltaagent.deltalog.storage");

    private static JavaClasses classes;

    @BeforeAll
    static void importReaders() {
        classes = new ClassFileImporter().importLocations(List.of(
                Location.of(LogHealthReader.class.getProtectionDomain().getCodeSource().getLocation())));
    }

    @Test
    void theReadersPublicApiHasNoHadoopTypes() {
        List<String> hadoopTyped = new ArrayList<>();
        for (JavaClass c : readerApi().toList()) {
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                if (exposed(unit.getModifiers()) && !unit.getName().contains("lambda$")) {
                    Stream<JavaType> types = Stream.concat(unit.getParameterTypes().stream(), Stream.of(unit.getReturnType()));
                    if (types.anyMatch(ReaderApiTest::hadoop)) {
                        hadoopTyped.add(unit.getFullName());
                    }
                }
            }
            for (JavaField f : c.getFields()) {
                if (exposed(f.getModifiers()) && hadoop(f.getType())) {
                    hadoopTyped.add(f.getFullName());
                }
            }
        }
        assertThat(hadoopTyped).as("public API of the log readers that takes or gives a Hadoop type: take the storage "
                + "port (deltalog.storage.LogStorage / LogStore) and String paths instead").isEmpty();
    }

    @Test
    void theCheckSeesTheReaders() {
        // a check over an import that found nothing would pass whatever the code does
        assertThat(readerApi().map(JavaClass::getSimpleName)).contains("LogHealthReader", "IncrementalLogReader",
                "SnapshotLibrary", "KernelSnapshots", "StandaloneSnapshots", "ProjectedSnapshots", "CommitInfoReader",
                "HistoryReader", "CommitReader", "LogListing", "LogObjects", "LastCheckpointHint", "LogCompactions");
        assertThat(hadoop(classes.get(io.deltaagent.deltalog.storage.HadoopLogStore.class).getConstructors().iterator().next()
                .getParameterTypes().get(0))).as("a Hadoop type is recognised").isTrue();
    }

    /** The public classes of deltalog and its sub-packages, less the storage port's. */
    private static Stream<JavaClass> readerApi() {
        return classes.stream()
                .filter(c -> c.getPackageName().equals("io.deltaagent.deltalog")
                        || c.getPackageName().startsWith("io.deltaagent.deltalog."))
                .filter(c -> EXEMPT.stream().noneMatch(p -> c.getPackageName().equals(p) || c.getPackageName().startsWith(p + ".")))
                .filter(ReaderApiTest::publicClass);
    }

    /** Public, and so is every class it is nested in. */
    private static boolean publicClass(JavaClass c) {
        return c.getModifiers().contains(JavaModifier.PUBLIC)
                && c.getEnclosingClass().map(ReaderApiTest::publicClass).orElse(true);
    }

    private static boolean exposed(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static boolean hadoop(JavaType type) {
        return type.getAllInvolvedRawTypes().stream().anyMatch(t -> t.getName().startsWith("org.apache.hadoop."));
    }
}
