package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.RecordingBundleContext;

/**
 * The snapshot files' configuration ({@code org.warden.snapshot}) read by Warden: a value that is not a number is
 * refused naming its key, as an out-of-range one is, the limit in force stays, and the refusal is registered for the
 * health check while it is on file.
 */
class SnapshotFilesConfigTest {

    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private final LogRecorder log = new LogRecorder();

    @Test
    void aValueThatIsNotANumberIsRefusedNamingItsKeyAndTheLimitStays() {
        // as config:property-set writes it: text
        SnapshotFiles files = new SnapshotFiles(Map.of("maxImportMegabytes", "16"), log.logger(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(files.maxImportBytes()).isEqualTo(16L << 20);

        files.modified(Map.of("maxImportMegabytes", "lots"));

        assertThat(files.maxImportBytes()).isEqualTo(16L << 20);
        assertThat(log.at("error")).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo(
                "Configuration org.warden.snapshot refused: maxImportMegabytes must be a whole number in "
                        + "[-2147483648, 2147483647], was 'lots'. The limit in force stays: 16777216"));
        assertThat(files.status().refusals()).containsExactly(new ConfigurationRefusal("org.warden.snapshot",
                "maxImportMegabytes must be a whole number in [-2147483648, 2147483647], was 'lots'",
                "the settings last accepted", NOW));

        files.modified(Map.of("maxImportMegabytes", 32));
        assertThat(files.maxImportBytes()).isEqualTo(32L << 20);
        assertThat(files.status().refusals()).as("an accepted value ends the refusal").isEmpty();
    }

    @Test
    void theComponentRegistersItsStatusWhileActive() {
        RecordingBundleContext bundle = new RecordingBundleContext();
        SnapshotFiles files = new SnapshotFiles(bundle.context(), Map.of("maxImportMegabytes", "0"));

        assertThat(files.maxImportBytes()).as("the default, as 0 is refused").isEqualTo(64L << 20);
        assertThat(bundle.registered(ConfigurationStatus.class)).singleElement()
                .satisfies(status -> assertThat(status.refusals()).singleElement().satisfies(r -> {
                    assertThat(r.reason()).isEqualTo("maxImportMegabytes must be in [1, 4096], was 0");
                    assertThat(r.inForce()).isEqualTo("the built-in defaults");
                }));

        files.deactivate();
        assertThat(bundle.registered(ConfigurationStatus.class)).isEmpty();
    }
}
