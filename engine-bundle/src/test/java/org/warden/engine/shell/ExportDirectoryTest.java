package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confinement of export and import files (issue 12, row 1): a viewer wrote Karaf's command ACL through
 * {@code warden:export --file etc/...}. Only a plain name in the one directory is accepted; a path, {@code ..}, a
 * symbolic link or an existing file without {@code force} is refused with a message, and nothing on disk changes.
 */
class ExportDirectoryTest {

    private static final String NAME_RULE = " (a letter or digit, then letters, digits, '.', '_' or '-', at most 128 "
            + "characters; no path), was ";

    @TempDir
    Path karafData;
    private Path exports;
    private Path etc;
    private Path acl;
    private ExportDirectory directory;

    @BeforeEach
    void karaf() throws IOException {
        exports = karafData.resolve("warden").resolve("exports");
        etc = Files.createDirectories(karafData.resolve("etc"));
        acl = Files.writeString(etc.resolve("org.apache.karaf.command.acl.warden.cfg"), "ban = admin\n");
        directory = new ExportDirectory(exports);
    }

    @Test
    void aPlainNameIsWrittenInTheDirectoryWholeAndWithoutTemporaryFiles() throws IOException {
        Path file = write("backup-2026-12-05_1.json", false, "{}");
        assertThat(file).isEqualTo(exports.resolve("backup-2026-12-05_1.json"));
        assertThat(Files.readString(file)).isEqualTo("{}");
        try (var listed = Files.list(exports)) {
            assertThat(listed).containsExactly(file);
        }
        assertThat(directory.names()).containsExactly("backup-2026-12-05_1.json");
        try (InputStream in = directory.open("backup-2026-12-05_1.json").in()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
        }
    }

    @Test
    void pathsAreRefusedAndNothingIsWritten() throws IOException {
        for (String name : List.of(acl.toString(), "/tmp/x", "../x", "../../etc/org.apache.karaf.command.acl.warden.cfg",
                "etc/org.apache.karaf.command.acl.warden.cfg", "sub/x.json", "..", ".", ".hidden", "a\\b",
                "x.json\u001b[2J", "", " x", "x".repeat(129))) {
            assertThatThrownBy(() -> write(name, true, "ban = viewer\n"))
                    .as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("file must be a plain file name in " + exports + NAME_RULE + Printable.of(name));
            assertThatThrownBy(() -> directory.open(name)).as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("file must be a plain file name in " + exports);
        }
        assertThat(Files.readString(acl)).isEqualTo("ban = admin\n");
        assertThat(exports).doesNotExist();
    }

    @Test
    void theEscapeOfANameIsNotPrinted() {
        assertThatThrownBy(() -> write("x\u001b]0;pwned\u0007", false, "{}"))
                .hasMessageEndingWith("was x\\u001B]0;pwned\\u0007")
                .hasMessageNotContaining("\u001b");
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws IOException {
        Path file = write("warden.json", false, "first");
        assertThatThrownBy(() -> write("warden.json", false, "second"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file warden.json already exists in " + exports + ": use --force to replace it");
        assertThat(Files.readString(file)).isEqualTo("first");

        write("warden.json", true, "third");
        assertThat(Files.readString(file)).isEqualTo("third");
        assertThat(directory.names()).containsExactly("warden.json");
    }

    @Test
    void aSymbolicLinkIsNeitherWrittenThroughNorRead() throws IOException {
        Files.createDirectories(exports);
        Path link = Files.createSymbolicLink(exports.resolve("acl.json"), acl);

        for (boolean force : new boolean[] {false, true}) {
            assertThatThrownBy(() -> write("acl.json", force, "ban = viewer\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("file acl.json in " + exports + " is a symbolic link: Warden does not follow it");
        }
        assertThatThrownBy(() -> directory.open("acl.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file acl.json in " + exports + " is a symbolic link: Warden does not follow it");
        assertThat(Files.readString(acl)).isEqualTo("ban = admin\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(directory.names()).as("links are not offered").isEmpty();
    }

    @Test
    void aDirectoryThatIsALinkElsewhereIsNotUsed() throws IOException {
        Files.createDirectories(karafData.resolve("warden"));
        Files.createSymbolicLink(exports, etc);
        ExportDirectory linked = new ExportDirectory(exports);

        assertThatThrownBy(() -> linked.write("org.apache.karaf.command.acl.warden.cfg", true,
                out -> out.write("ban = viewer\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(exports + " is a symbolic link: Warden does not follow it");
        assertThatThrownBy(() -> linked.open("org.apache.karaf.command.acl.warden.cfg"))
                .hasMessage(exports + " is a symbolic link: Warden does not follow it");
        assertThat(Files.readString(acl)).isEqualTo("ban = admin\n");

        // nor a parent ${karaf.data}/warden that is a link
        Path otherData = Files.createDirectories(karafData.resolve("other"));
        Files.createSymbolicLink(otherData.resolve("warden"), etc);
        ExportDirectory underLink = new ExportDirectory(otherData.resolve("warden").resolve("exports"));
        assertThatThrownBy(() -> underLink.write("x.json", false, out -> out.write('x')))
                .hasMessage(otherData.resolve("warden") + " is a symbolic link: Warden does not follow it");
        assertThat(etc.resolve("exports")).doesNotExist();
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws IOException {
        write("kept.json", false, "kept");
        assertThatThrownBy(() -> directory.write("kept.json", true, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("cannot write kept.json in " + exports + ": disk full");
        assertThat(Files.readString(exports.resolve("kept.json"))).isEqualTo("kept");
        try (var listed = Files.list(exports)) {
            assertThat(listed).containsExactly(exports.resolve("kept.json"));
        }
    }

    @Test
    void aMissingFileOrADirectoryIsNotRead() throws IOException {
        assertThatThrownBy(() -> directory.open("none.json")).hasMessage("no file none.json in " + exports);
        Files.createDirectories(exports.resolve("sub"));
        assertThatThrownBy(() -> directory.open("sub")).hasMessage("file sub in " + exports + " is a directory");
        assertThat(directory.names()).isEmpty();
    }

    @Test
    void karafsDirectoryIsUnderItsDataFolder() {
        String previous = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.data", karafData.toString());
            assertThat(ExportDirectory.ofKaraf().path()).isEqualTo(exports);
            System.clearProperty("karaf.data");
            assertThatThrownBy(ExportDirectory::ofKaraf).isInstanceOf(IllegalStateException.class)
                    .hasMessage("karaf.data is not set: exports live in ${karaf.data}/warden/exports");
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", previous);
            }
        }
    }

    private Path write(String name, boolean force, String content) {
        return directory.write(name, force, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }
}
