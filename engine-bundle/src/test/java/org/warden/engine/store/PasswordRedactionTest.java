package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.jdbc.DataSourceFactory;
import org.warden.engine.state.Journal;

/**
 * Issue 12, row 10: the database password, given in the URL ({@code password=}) or as {@code .password}, never
 * appears in the store's log, its health (the reason it is unavailable) or the errors it gives, not even when the
 * driver repeats the URL and the password in its own error.
 */
class PasswordRedactionTest {

    private static final String URL_SECRET = "Url-Secret-7f3a";
    private static final String PROPERTY_SECRET = "Prop-Secret-91c2";
    private static final String URL = "jdbc:postgresql://127.0.0.1:1/warden?user=warden&password=" + URL_SECRET
            + "&ssl=false";

    @TempDir
    Path dir;

    /** The configuration, as Config Admin would give it: {@code values} over the defaults. */
    private static StoreComponent.Config config(Map<String, Object> values) {
        return (StoreComponent.Config) Proxy.newProxyInstance(StoreComponent.Config.class.getClassLoader(),
                new Class<?>[] { StoreComponent.Config.class }, (proxy, method, args) -> {
                    String key = method.getName().equals("_password") ? ".password" : method.getName();
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private BundleContext karaf() {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && "karaf.data".equals(args[0])) {
                        return dir.toString();
                    }
                    if (method.getName().equals("registerService")) {
                        // the store's ConfigurationStatus: registered, and unregistered on deactivation
                        return Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                                new Class<?>[] { ServiceRegistration.class }, (r, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A PostgreSQL driver whose errors repeat everything it was given, the password included (as some do). */
    private static final class TalkativeDriver implements DataSourceFactory {
        volatile Properties given;

        @Override
        public DataSource createDataSource(Properties props) throws SQLException {
            given = props;
            throw new SQLException("cannot connect to " + props.getProperty(JDBC_URL) + " as "
                    + props.getProperty(JDBC_USER) + " with password " + props.getProperty(JDBC_PASSWORD), "08001",
                    new SQLException("authentication with '" + props.getProperty(JDBC_PASSWORD) + "' failed"));
        }

        @Override
        public ConnectionPoolDataSource createConnectionPoolDataSource(Properties props) {
            throw new UnsupportedOperationException();
        }

        @Override
        public XADataSource createXADataSource(Properties props) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Driver createDriver(Properties props) {
            throw new UnsupportedOperationException();
        }
    }

    /** Records nothing: the store never connects. */
    private static final Journal.Target NOWHERE = new StubTarget();

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(URL_SECRET).doesNotContain(PROPERTY_SECRET);
    }

    @Test
    void thePasswordIsNeitherLoggedNorShownNorInAnError() throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put("url", URL);
        values.put("user", "warden");
        values.put(".password", PROPERTY_SECRET);
        values.put("nodeId", "node-p");
        values.put("retryIntervalSeconds", 1L);
        TalkativeDriver driver = new TalkativeDriver();
        StoreComponent component = new StoreComponent();
        try (Faults.StderrCapture log = new Faults.StderrCapture()) {
            component.bindDriver(driver, Map.of(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS, StoreSettings.PG_DRIVER));
            component.activate(karaf(), values);
            Journal journal = component.start(NOWHERE);
            await().atMost(Duration.ofSeconds(30)).until(() -> !component.health().available()
                    && component.health().problem() != null);
            String problem = component.health().problem();
            assertThat(problem).contains("cannot connect to jdbc:postgresql://127.0.0.1:1/warden")
                    .contains("password=" + Redactor.MASK);
            assertNoSecret(problem);
            // a refusal, as the shell shows it (one Error: line)
            assertThatThrownBy(() -> journal.checkAccepting(true)).satisfies(e -> {
                assertNoSecret(e.getMessage());
                assertThat(e.getMessage()).doesNotContain("\n");
            });
            // an invalid URL is refused without repeating its password
            values.put("url", "jdbc:mysql://db/warden?password=" + URL_SECRET);
            assertThatThrownBy(() -> StoreComponent.validate(config(values))).satisfies(e -> assertNoSecret(
                    e.getMessage()));
            component.deactivate();

            String logged = log.text();
            assertThat(logged).contains("Warden store: postgresql at jdbc:postgresql://127.0.0.1:1/warden")
                    .contains("is unavailable").contains("the url carries a password");
            assertNoSecret(logged);
        }
        // the driver itself was given both, and the timeouts
        assertThat(driver.given.getProperty(DataSourceFactory.JDBC_URL)).contains(URL_SECRET);
        assertThat(driver.given.getProperty(DataSourceFactory.JDBC_PASSWORD)).isEqualTo(PROPERTY_SECRET);
        assertThat(driver.given.getProperty("socketTimeout")).isEqualTo("60");
        assertThat(driver.given.getProperty("connectTimeout")).isEqualTo("10");
    }

    @Test
    void theRedactorHidesEveryFormOfAPassword() {
        Redactor r = Redactor.of("jdbc:h2:tcp://db/warden;USER=sa;PASSWORD=h2-Secret", "prop-Secret");
        assertThat(r.redact("url jdbc:h2:tcp://db/warden;USER=sa;PASSWORD=h2-Secret; then h2-Secret and prop-Secret"))
                .isEqualTo("url jdbc:h2:tcp://db/warden;USER=sa;PASSWORD=***; then *** and ***");
        assertThat(Redactor.NONE.redact("postgresql://u:pw@host/db?password=x&ssl=true"))
                .isEqualTo("postgresql://u:***@host/db?password=***&ssl=true");
        SQLException e = new SQLException("failed for prop-Secret", new IllegalStateException("h2-Secret again"));
        Throwable safe = r.redact(e);
        assertThat(safe.toString()).isEqualTo("java.sql.SQLException: failed for ***");
        assertThat(safe.getCause().toString()).isEqualTo("java.lang.IllegalStateException: *** again");
        assertThat(safe.getStackTrace()).isEqualTo(e.getStackTrace());
        SQLException harmless = new SQLException("nothing secret");
        assertThat(r.redact(harmless)).isSameAs(harmless);
    }
}
