package org.warden.engine.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.warden.engine.component.EmbeddedFramework.WAIT;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.JobOutcome;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.StoreHealth;
import org.warden.api.WorkerReputation;

/**
 * The store component ({@code org.warden.store}) in a real framework: the engine restores its record from the
 * embedded H2 database (in the bundle's data area outside Karaf) when the framework starts again; an invalid store
 * configuration is refused with the store in use kept; a valid change restarts the store and the engine on it.
 */
class StoreComponentTest {

    private static final HealthMetrics GOOD = HealthMetrics.of(150, 20, 30, 40, 20);
    private EmbeddedFramework osgi;

    @AfterEach
    void stop() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    private void record() {
        osgi.service(HealthService.class).reportHealth("w1", GOOD);
        ReputationService reputation = osgi.service(ReputationService.class);
        for (int i = 0; i < 7; i++) {
            reputation.recordOutcome(JobOutcome.of("w1", i != 3, 100, BigInteger.ONE, null));
        }
        osgi.service(PenaltyService.class).ban("w1", "cheat", null);
    }

    private void assertRecorded() {
        WorkerReputation r = osgi.service(ReputationService.class).reputation("w1").orElseThrow();
        assertThat(r.jobsCompleted()).isEqualTo(6);
        assertThat(r.jobsFailed()).isEqualTo(1);
        assertThat(r.ban()).isNotNull();
        assertThat(r.ban().reason()).isEqualTo("cheat");
    }

    private StoreHealth store() {
        NetworkHealth n = osgi.service(HealthService.class).networkHealth();
        return n.store();
    }

    @Test
    @Timeout(60)
    void theRecordSurvivesARestartOfTheFramework() throws Exception {
        osgi = EmbeddedFramework.start();
        assertThat(store().backend()).isEqualTo("h2");
        assertThat(store().available()).isTrue();
        record();
        osgi.close();

        osgi = EmbeddedFramework.restart();
        assertRecorded();
    }

    @Test
    @Timeout(60)
    void anInvalidConfigurationIsRefusedAndAValidOneRestartsTheStoreOnIt() throws Exception {
        osgi = EmbeddedFramework.start();
        record();
        ServiceReference<?> engine = osgi.reference(HealthService.class);
        ConfigurationAdmin admin = osgi.service(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("org.warden.store", "?");
        Hashtable<String, Object> bad = new Hashtable<>();
        bad.put("url", "jdbc:mysql://db/warden");
        config.update(bad);
        // refused: the same engine (same service), on the same store, with the same record
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> osgi.context().getServiceReference(HealthService.class) == engine);
        assertThat(store().available()).isTrue();
        assertRecorded();

        Hashtable<String, Object> good = new Hashtable<>();
        good.put("asyncWindowMs", 50L);
        good.put("outcomeDurability", "sync");
        config.update(good);
        // restarted: a new engine service, its record restored from the database
        await().atMost(WAIT).until(() -> {
            ServiceReference<?> now = osgi.context().getServiceReference(HealthService.class);
            return now != null && now != engine && !now.getProperty("service.id").equals(engine.getProperty("service.id"));
        });
        assertRecorded();
        assertThat(store().available()).isTrue();

        // the same configuration written back (as Karaf's config:property-get -p does): no restart
        ServiceReference<?> restarted = osgi.reference(HealthService.class);
        config.update(config.getProperties());
        await().during(Duration.ofSeconds(2)).atMost(WAIT)
                .until(() -> osgi.context().getServiceReference(HealthService.class) == restarted);
    }

    /** Every refusal of {@code pid} the registered ConfigurationStatus services report. */
    private List<ConfigurationRefusal> refusalsOf(String pid) throws Exception {
        List<ConfigurationRefusal> found = new ArrayList<>();
        for (ServiceReference<ConfigurationStatus> r
                : osgi.context().getServiceReferences(ConfigurationStatus.class, null)) {
            ConfigurationStatus status = osgi.context().getService(r);
            try {
                status.refusals().stream().filter(refusal -> refusal.pid().equals(pid)).forEach(found::add);
            } finally {
                osgi.context().ungetService(r);
            }
        }
        return found;
    }

    @Test
    @Timeout(60)
    void aValueOfTheWrongTypeIsRefusedNamingItsKeyAndReportedUntilFixed() throws Exception {
        osgi = EmbeddedFramework.start();
        record();
        ServiceReference<?> engine = osgi.reference(HealthService.class);
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration("org.warden.store", "?");
        Hashtable<String, Object> bad = new Hashtable<>();
        bad.put("asyncWindowMs", "abc"); // as config:property-set writes it
        config.update(bad);

        await().atMost(WAIT).until(() -> refusalsOf("org.warden.store"), r -> !r.isEmpty());
        assertThat(refusalsOf("org.warden.store")).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("asyncWindowMs must be a whole number in "
                    + "[-9223372036854775808, 9223372036854775807], was 'abc'");
            assertThat(r.inForce()).isEqualTo("the settings of the store in use");
        });
        // refused: the same engine, on the same store, with the same record
        assertThat(osgi.context().getServiceReference(HealthService.class)).isSameAs(engine);
        assertThat(store().available()).isTrue();
        assertRecorded();

        config.delete(); // back to the configuration in use: nothing refused on file
        await().atMost(WAIT).until(() -> refusalsOf("org.warden.store"), List::isEmpty);

        // the snapshot files' component too (activated by Declarative Services through its constructor)
        Configuration snapshot = osgi.service(ConfigurationAdmin.class).getConfiguration("org.warden.snapshot", "?");
        Hashtable<String, Object> notANumber = new Hashtable<>();
        notANumber.put("maxImportMegabytes", "lots");
        snapshot.update(notANumber);
        await().atMost(WAIT).until(() -> refusalsOf("org.warden.snapshot"), r -> !r.isEmpty());
        assertThat(refusalsOf("org.warden.snapshot")).singleElement().extracting(ConfigurationRefusal::reason)
                .isEqualTo("maxImportMegabytes must be a whole number in [-2147483648, 2147483647], was 'lots'");
        snapshot.delete();
        await().atMost(WAIT).until(() -> refusalsOf("org.warden.snapshot"), List::isEmpty);
    }

    @Test
    @Timeout(60)
    void aConfigurationRefusedAtBootStartsTheEngineOnTheOneLastAccepted(@TempDir Path karafData) throws Exception {
        Map<String, String> inKaraf = Map.of("karaf.data", karafData.toString());
        osgi = EmbeddedFramework.start(inKaraf);
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration("org.warden.store", "?");
        Hashtable<String, Object> good = new Hashtable<>();
        good.put("asyncWindowMs", 50L);
        config.update(good);
        Path kept = karafData.resolve("warden").resolve("org.warden.store.properties");
        await().atMost(WAIT).until(() -> Files.isRegularFile(kept)
                && Files.readString(kept).contains("asyncWindowMs=50"));
        await().atMost(WAIT).until(() -> osgi.context().getServiceReference(HealthService.class) != null);
        record();

        Hashtable<String, Object> bad = new Hashtable<>();
        bad.put("asyncWindowMs", "abc"); // as config:property-set writes it; refused, and left on file
        config.update(bad);
        await().atMost(WAIT).until(() -> refusalsOf("org.warden.store"), r -> !r.isEmpty());
        assertThat(Files.readString(kept)).as("a refused configuration is not kept").contains("asyncWindowMs=50");
        osgi.close();

        osgi = EmbeddedFramework.restart(inKaraf);
        // the engine started, on the store last accepted, its record restored from it
        assertRecorded();
        assertThat(store().available()).isTrue();
        assertThat(refusalsOf("org.warden.store")).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("asyncWindowMs must be a whole number in "
                    + "[-9223372036854775808, 9223372036854775807], was 'abc'");
            assertThat(r.inForce()).startsWith("the settings last accepted (saved ").contains(kept.toString());
        });

        // fixed on file: accepted, kept, and no longer reported
        Configuration onFile = osgi.service(ConfigurationAdmin.class).getConfiguration("org.warden.store", "?");
        Hashtable<String, Object> fixed = new Hashtable<>();
        fixed.put("asyncWindowMs", 60L);
        onFile.update(fixed);
        await().atMost(WAIT).until(() -> refusalsOf("org.warden.store"), List::isEmpty);
        await().atMost(WAIT).until(() -> Files.readString(kept).contains("asyncWindowMs=60"));
    }

    @Test
    @Timeout(60)
    void withNothingKeptAConfigurationRefusedAtBootStillKeepsTheEngineFromStarting(@TempDir Path karafData)
            throws Exception {
        Map<String, String> inKaraf = Map.of("karaf.data", karafData.toString());
        osgi = EmbeddedFramework.start(inKaraf);
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration("org.warden.store", "?");
        Hashtable<String, Object> bad = new Hashtable<>();
        bad.put("asyncWindowMs", "abc");
        config.update(bad);
        await().atMost(WAIT).until(() -> refusalsOf("org.warden.store"), r -> !r.isEmpty());
        osgi.close();
        // the file a boot without configuration wrote: what an older Warden, which kept nothing, leaves
        Files.delete(karafData.resolve("warden").resolve("org.warden.store.properties"));

        osgi = EmbeddedFramework.restart(inKaraf);
        // the engine's service may be registered (a delayed component) but cannot be had: its store did not start
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !engineServes());
    }

    /** Whether the engine's service can be had, not just whether it is registered. */
    private boolean engineServes() {
        ServiceReference<HealthService> ref = osgi.context().getServiceReference(HealthService.class);
        if (ref == null) {
            return false;
        }
        try {
            return osgi.context().getService(ref) != null;
        } finally {
            osgi.context().ungetService(ref);
        }
    }
}
