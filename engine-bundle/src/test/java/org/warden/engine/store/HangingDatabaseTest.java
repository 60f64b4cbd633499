package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.warden.api.JobOutcome;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;

/**
 * Issue 12, row 2: a database that hangs (a TCP proxy in front of PostgreSQL, frozen: connections open, no byte
 * through). A ban waiting for its commit fails within the sync timeout; the store says it is unavailable (first as
 * not answering, then as the broken connection once the socket timeout gives it up) and refuses what must be
 * durable at once; when the network comes back the store reconnects and writes everything, the ban included.
 */
class HangingDatabaseTest {

    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(3));
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(4);

    @Test
    void aHungDatabaseTimesOutMakesTheStoreUnavailableAndItRecoversWhenTheNetworkComesBack() throws Exception {
        LocalPostgres pg = LocalPostgres.get();
        String direct = pg.url(pg.freshDatabase("hanging"));
        URI u = URI.create(direct.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(u.getHost(), u.getPort())) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + u.getRawPath();
            // the driver properties the store component gives PostgreSQL: connect, login and socket timeouts
            Properties props = TIMEOUTS.postgresqlProperties(viaProxy);
            props.setProperty("user", pg.user());
            JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(viaProxy, props), "postgresql",
                    new JdbcJournal.Settings("node-h", false, false, Duration.ofMillis(100), Duration.ofMillis(200),
                            Duration.ofMillis(200), SYNC_TIMEOUT, 1_000_000, 10_000).withTimeouts(TIMEOUTS),
                    Clock.systemUTC());
            try {
                WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(),
                        EngineSettings.DEFAULTS, EventSink.NONE);
                engine.useStore(store);
                assertThat(store.health().available()).as(store.health().problem()).isTrue();
                for (String w : new String[] { "w1", "w2", "w3", "w4" }) {
                    engine.recordOutcome(new JobOutcome(w, true, 100, BigInteger.ONE, null, null, null));
                }
                engine.ban("w1", "before the hang", null);

                proxy.freeze();
                long started = System.nanoTime();
                assertThatThrownBy(() -> engine.ban("w2", "during the hang", null))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("not committed to the durable store (postgresql) within "
                                + SYNC_TIMEOUT.toMillis() + " ms");
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(waitedMs).as("the call waited about the sync timeout, not forever")
                        .isBetween(SYNC_TIMEOUT.toMillis() - 100, SYNC_TIMEOUT.toMillis() + 5_000);
                // unavailable: the connection given up after the socket timeout, new ones time out too
                await().atMost(Duration.ofSeconds(20)).until(() -> !store.health().available());
                assertThat(store.health().problem()).isNotBlank();
                long refusedAt = System.nanoTime();
                assertThatThrownBy(() -> engine.ban("w3", "refused at once", null))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unavailable");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt)).isLessThan(1_000);

                proxy.resume();
                await().atMost(Duration.ofSeconds(60)).until(() -> store.health().available()
                        && store.health().backlog() == 0);
                engine.ban("w4", "after the hang", null);
            } finally {
                store.close();
            }
        }
        // every ban acknowledged, and the one that timed out (it stayed queued), is in the database
        try (Connection c = DriverManager.getConnection(direct, pg.user(), "");
                PreparedStatement q = c.prepareStatement("SELECT payload FROM warden_journal ORDER BY seq");
                ResultSet rs = q.executeQuery()) {
            StringBuilder workers = new StringBuilder();
            EntryCodec codec = new EntryCodec();
            while (rs.next()) {
                for (EntryCodec.Journaled j : codec.decode(rs.getBytes(1))) {
                    if (j.entry().changes().stream().anyMatch(ch -> ch instanceof org.warden.engine.state.Change.BanChange)) {
                        workers.append(j.entry().workerId()).append(' ');
                    }
                }
            }
            assertThat(workers.toString()).contains("w1 ").contains("w2 ").contains("w4 ").doesNotContain("w3 ");
        }
    }
}
