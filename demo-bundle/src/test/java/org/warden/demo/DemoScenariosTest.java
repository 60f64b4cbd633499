package org.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.policy.testkit.LogRecorder;
import org.warden.simulator.model.Behaviour;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.ScenarioException;

class DemoScenariosTest {
    private static final String SMALL = """
            {"name": "small", "seed": 5, "jobs": 1000, "biddersPerJob": 3,
             "groups": [{"name": "h", "count": 7, "behaviour": "honest"},
                        {"name": "m", "count": 2, "behaviour": "malicious"}]}
            """;

    @TempDir
    Path data;
    @TempDir
    Path elsewhere;

    private final LogRecorder log = new LogRecorder();

    private DemoScenarios scenarios() {
        return new DemoScenarios(data, log.logger());
    }

    private Path write(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** The population the demo built in code before it read scenarios, at its default settings. */
    private static List<Scenario.Group> populationOfOld() {
        List<Scenario.Group> groups = new ArrayList<>();
        Object[][] kinds = {{"honest", 144, Behaviour.HONEST}, {"flaky", 18, Behaviour.FLAKY},
                {"slow", 18, Behaviour.SLOW}, {"malicious", 4, Behaviour.MALICIOUS}, {"on-off", 4, Behaviour.ON_OFF},
                {"whitewasher", 4, Behaviour.WHITEWASHER}, {"cheap-bidder", 4, Behaviour.CHEAP_BIDDER},
                {"health-spoofer", 4, Behaviour.HEALTH_SPOOFER}};
        for (Object[] k : kinds) {
            Behaviour b = (Behaviour) k[2];
            groups.add(new Scenario.Group((String) k[0], (Integer) k[1], b, b.defaultSuccessProbability(),
                    b.defaultSpeedMs(), b == Behaviour.CHEAP_BIDDER ? 30L : 100L, 1.0, 20, 5, 100, 0));
        }
        return groups;
    }

    @Test
    void theShippedScenarioIsThePopulationTheDemoBuiltInCode() {
        Scenario s = DemoScenarios.bundled();
        assertThat(s.groups()).isEqualTo(populationOfOld());
        assertThat(s.workerCount()).isEqualTo(200);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.biddersPerJob()).isEqualTo(8);
        assertThat(s.verificationRate()).isEqualTo(0.3);
        assertThat(s.events()).isEmpty();
    }

    @Test
    void anEmptySettingIsTheShippedScenario() throws IOException {
        write(data, "warden/small.json", SMALL);
        Scenario current = scenarios().read("warden/small.json");
        assertThat(scenarios().choose("", current)).isEqualTo(DemoScenarios.bundled());
        assertThat(scenarios().choose("  ", current)).isEqualTo(DemoScenarios.bundled());
        assertThat(log.calls()).isEmpty();
    }

    @Test
    void aFileUnderTheDataDirectoryIsRead() throws IOException {
        Path file = write(data, "warden/small.json", SMALL);
        Scenario relative = scenarios().choose("warden/small.json", DemoScenarios.bundled());
        assertThat(relative.name()).isEqualTo("small");
        assertThat(relative.workerCount()).isEqualTo(9);
        assertThat(relative.biddersPerJob()).isEqualTo(3);
        // an absolute path inside ${karaf.data} (what ${karaf.data}/... in a .cfg becomes) is the same file
        assertThat(scenarios().read(file.toString())).isEqualTo(relative);
        assertThat(log.calls()).isEmpty();
    }

    @Test
    void aPathOutsideTheDataDirectoryIsRefusedAndThePopulationInForceStays() throws IOException {
        Path outside = write(elsewhere, "small.json", SMALL);
        Scenario current = DemoScenarios.bundled();
        for (String setting : List.of(outside.toString(), "../" + elsewhere.getFileName() + "/small.json",
                "warden/../../x.json", ".")) {
            assertThatThrownBy(() -> scenarios().read(setting)).isInstanceOf(ScenarioException.class)
                    .hasMessageContaining("is not a file under ${karaf.data}");
            assertThat(scenarios().choose(setting, current)).isSameAs(current);
        }
        assertThat(log.calls()).hasSize(4).allSatisfy(c -> {
            assertThat(c.level()).isEqualTo("error");
            assertThat(c.text()).contains("refused, the demo keeps its population (demo, 200 workers)")
                    .contains("is not a file under ${karaf.data}");
        });
    }

    @Test
    void aLinkLeadingOutOfTheDataDirectoryIsRefused() throws IOException {
        Path outside = write(elsewhere, "small.json", SMALL);
        Path link = data.resolve("link.json");
        try {
            Files.createSymbolicLink(link, outside);
        } catch (UnsupportedOperationException | FileSystemException e) {
            assumeThat(false).as("symbolic links: " + e).isTrue();
        }
        assertThatThrownBy(() -> scenarios().read("link.json")).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("outside ${karaf.data}");
    }

    @Test
    void aMissingFileIsRefused() {
        assertThatThrownBy(() -> scenarios().read("warden/none.json")).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("no file ").hasMessageEndingWith("none.json");
        assertThatThrownBy(() -> scenarios().read("warden")).isInstanceOf(ScenarioException.class);
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Files.createDirectories(data.resolve("warden"));
        assertThatThrownBy(() -> scenarios().read("warden")).isInstanceOf(ScenarioException.class)
                .hasMessageEndingWith("is not a regular file");
    }

    @Test
    void aFileOverOneMegabyteIsRefusedUnread() throws IOException {
        // a valid scenario, padded with white space past the bound: refused for its size, not its content
        String big = SMALL + " ".repeat((int) DemoScenarios.MAX_BYTES);
        write(data, "big.json", big);
        assertThatThrownBy(() -> scenarios().read("big.json")).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("is " + big.length() + " bytes, more than the 1048576");
        // exactly at the bound is still read
        write(data, "fits.json", SMALL + " ".repeat((int) DemoScenarios.MAX_BYTES - SMALL.length()));
        assertThat(scenarios().read("fits.json").name()).isEqualTo("small");
    }

    @Test
    void malformedJsonIsRefusedNamingTheFile() throws IOException {
        write(data, "bad.json", "{\"name\": \"x\", ");
        assertThatThrownBy(() -> scenarios().read("bad.json")).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("bad.json: not valid JSON");
    }

    @Test
    void anInvalidScenarioIsRefusedNamingTheField() throws IOException {
        write(data, "zero.json", SMALL.replace("\"count\": 7", "\"count\": 0"));
        Scenario current = DemoScenarios.bundled();
        assertThat(scenarios().choose("zero.json", current)).isSameAs(current);
        assertThat(log.calls()).singleElement().satisfies(c -> {
            assertThat(c.level()).isEqualTo("error");
            assertThat(c.text()).contains("zero.json: groups[0].count must be in [1, 1000000], was 0");
        });
    }

    @Test
    void withoutKarafDataEveryFileIsRefused() throws IOException {
        write(data, "small.json", SMALL);
        DemoScenarios none = DemoScenarios.of(null, log.logger());
        assertThatThrownBy(() -> none.read(data.resolve("small.json").toString()))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("karaf.data is not set");
        assertThat(none.choose("", DemoScenarios.bundled())).isEqualTo(DemoScenarios.bundled());
    }
}
