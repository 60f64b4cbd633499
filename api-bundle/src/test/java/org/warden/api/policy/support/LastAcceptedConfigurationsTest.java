package org.warden.api.policy.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.SubstituteLogger;

class LastAcceptedConfigurationsTest {

    private static final String PID = "org.example.limits";

    @TempDir
    Path data;

    private final Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final SubstituteLogger logger = new SubstituteLogger("test", events, false);

    private LastAcceptedConfigurations kept() {
        return LastAcceptedConfigurations.in(data.resolve("warden"), logger);
    }

    private List<String> errors() {
        return events.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(e -> MessageFormatter.arrayFormat(e.getMessage(), e.getArgumentArray()).getMessage()).toList();
    }

    @Test
    void anAcceptedConfigurationIsReadBackAsTextWithoutTheFrameworksKeys() {
        Map<String, Object> accepted = Map.of("max", 3, "ratio", 0.25, "name", "a b=c:ü", "enabled", true,
                "service.ranking", 5, "service.pid", PID, "component.name", PID, "component.id", 7L,
                "felix.fileinstall.filename", "file:/etc/x.cfg", "list", new String[] {"one"});
        assertThat(kept().save(PID, accepted)).isTrue();

        LastAcceptedConfigurations.Saved saved = kept().read(PID).orElseThrow();
        assertThat(saved.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("max", "3", "ratio", "0.25",
                "name", "a b=c:ü", "enabled", "true", "service.ranking", "5", "list", "one"));
        assertThat(saved.file()).isEqualTo(data.resolve("warden").resolve(PID + ".properties"));
        assertThat(saved.savedAt()).isNotNull();
        assertThat(errors()).isEmpty();
    }

    @Test
    void theFileIsWrittenWholeThroughATemporaryFileAndReplacedByTheNextSave() throws IOException {
        kept().save(PID, Map.of("max", 3));
        kept().save(PID, Map.of("max", 4));

        assertThat(kept().read(PID).orElseThrow().properties()).isEqualTo(Map.of("max", "4"));
        try (var files = Files.list(data.resolve("warden"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(PID + ".properties");
        }
    }

    @Test
    void aTemporaryFileLeftByACrashIsNotReadAndIsReplacedByTheNextSave() throws IOException {
        kept().save(PID, Map.of("max", 3));
        Path tmp = data.resolve("warden").resolve(PID + ".properties.tmp");
        Files.writeString(tmp, "max=half written");

        assertThat(kept().read(PID).orElseThrow().properties()).isEqualTo(Map.of("max", "3"));
        kept().save(PID, Map.of("max", 5));
        assertThat(kept().read(PID).orElseThrow().properties()).isEqualTo(Map.of("max", "5"));
        assertThat(tmp).doesNotExist();
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws IOException {
        kept().save(PID, Map.of(".password", "secret"));
        Path file = data.resolve("warden").resolve(PID + ".properties");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(kept().read(PID).orElseThrow().properties()).containsEntry(".password", "secret");
    }

    @Test
    void aPidThatIsNotOneIsRefusedAndNothingIsWritten() throws IOException {
        for (String bad : List.of("../etc/x", "a/b", "", ".", "..", "a b", "x".repeat(201))) {
            assertThatThrownBy(() -> kept().save(bad, Map.of("max", 3))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a configuration PID");
            assertThatThrownBy(() -> kept().read(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(data.resolve("warden")).doesNotExist();
        assertThat(data.resolve("etc")).doesNotExist();
    }

    @Test
    void aFileLargerThanTheBoundIsIgnoredWithAnError() throws IOException {
        Path file = Files.createDirectories(data.resolve("warden")).resolve(PID + ".properties");
        Files.writeString(file, "max=3\n" + "#".repeat(LastAcceptedConfigurations.MAX_BYTES));

        assertThat(kept().read(PID)).isEmpty();
        assertThat(errors()).singleElement().asString().contains(PID).contains("larger than 65536 bytes");
    }

    @Test
    void aFileAtTheBoundIsRead() throws IOException {
        Path file = Files.createDirectories(data.resolve("warden")).resolve(PID + ".properties");
        String head = "max=3\n#";
        Files.writeString(file, head + "#".repeat(LastAcceptedConfigurations.MAX_BYTES - head.length()));

        assertThat(kept().read(PID).orElseThrow().properties()).isEqualTo(Map.of("max", "3"));
        assertThat(errors()).isEmpty();
    }

    @Test
    void aCorruptFileIsIgnoredWithAnError() throws IOException {
        Path file = Files.createDirectories(data.resolve("warden")).resolve(PID + ".properties");
        Files.writeString(file, "max=\\u12G4\n", StandardCharsets.ISO_8859_1); // a malformed escape
        assertThat(kept().read(PID)).isEmpty();

        Files.write(file, new byte[] {'m', '=', (byte) 0xC3, (byte) 0x28}); // not UTF-8
        assertThat(kept().read(PID)).isEmpty();

        assertThat(errors()).hasSize(2).allSatisfy(e -> assertThat(e).contains(PID).contains("cannot be read"));
    }

    @Test
    void anUnreadableFileIsIgnoredWithAnError() throws IOException {
        // a directory where the file should be: reading it fails as an unreadable file does, whoever runs the test
        Files.createDirectories(data.resolve("warden").resolve(PID + ".properties"));

        assertThat(kept().read(PID)).isEmpty();
        assertThat(errors()).singleElement().asString().contains(PID).contains("cannot be read");
    }

    @Test
    void aSaveThatCannotBeWrittenIsLoggedNotThrown() throws IOException {
        Files.writeString(data.resolve("warden"), "a file where the directory should be");

        assertThat(kept().save(PID, Map.of("max", 3))).isFalse();
        assertThat(errors()).singleElement().asString().contains("Could not keep the configuration " + PID);
    }

    @Test
    void aValueOfSeveralElementsIsNotKept() {
        assertThat(kept().save(PID, Map.of("list", List.of("a", "b")))).isFalse();

        assertThat(kept().read(PID)).isEmpty();
        assertThat(errors()).singleElement().asString().contains("list holds several values");
    }

    @Test
    void withoutADirectoryNothingIsWrittenNorRead() throws IOException {
        LastAcceptedConfigurations nowhere = LastAcceptedConfigurations.ofKarafData(null);
        assertThat(nowhere.keeps()).isFalse();
        assertThat(nowhere.save(PID, Map.of("max", 3))).isFalse();
        assertThat(nowhere.read(PID)).isEmpty();
        assertThat(nowhere.fileOf(PID)).isEmpty();
        assertThat(LastAcceptedConfigurations.ofKarafData(" ").keeps()).isFalse();
        try (var files = Files.list(data)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void inKarafTheFilesAreInTheDataFoldersWardenDirectory() {
        LastAcceptedConfigurations inKaraf = LastAcceptedConfigurations.ofKarafData(data.toString());
        assertThat(inKaraf.fileOf(PID)).contains(data.resolve("warden").resolve(PID + ".properties"));
        assertThat(inKaraf.save(PID, Map.of("max", 3))).isTrue();
        assertThat(kept().read(PID).orElseThrow().properties()).isEqualTo(Map.of("max", "3"));
    }
}
