package org.warden.engine.store;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.ConfigurationStatus;
import org.warden.api.StoreHealth;
import org.warden.api.policy.support.ConfigValues;
import org.warden.api.policy.support.ConfigurationRefusals;
import org.warden.api.policy.support.LastAcceptedConfigurations;
import org.warden.engine.state.Journal;

/**
 * The durable store as an OSGi component (PID {@code org.warden.store}): an H2 file database under
 * {@code ${karaf.data}/warden} unless configured with the URL of another database (PostgreSQL, shared by several
 * nodes). The JDBC driver comes as a {@link DataSourceFactory} service (the H2 and PostgreSQL driver bundles register
 * one); a driver that is missing is like a database that is unreachable: the engine serves from memory and the
 * store retries. A change of this configuration restarts the store and the engine on it (the engine's state is then
 * restored from the database named). The configuration last accepted is kept under {@code ${karaf.data}/warden}
 * ({@link LastAcceptedConfigurations}): at a boot whose configuration on file is refused the store starts on it, the
 * refusal registered for the health check; with none kept, the store does not start, nor the engine.
 */
@Component(name = StoreComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = WardenStore.class)
@Designate(ocd = StoreComponent.Config.class)
public final class StoreComponent implements WardenStore {

    public static final String PID = "org.warden.store";
    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);
    /** How every refusal of this configuration starts in the log. */
    static final String REFUSED = "Refused the Warden store configuration (" + PID + "): ";

    @ObjectClassDefinition(name = "Warden store", description = "Where Warden keeps its record (worker statistics, "
            + "health reports, penalties, malicious reports, bans) so that it survives a restart or a crash. Memory "
            + "stays the hot path; a writer thread commits to the database in groups.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "false keeps everything in memory only: lost on restart.")
        boolean enabled() default true;

        @AttributeDefinition(name = "JDBC URL", description = "Empty: an H2 file database in ${karaf.data}/warden "
                + "(one node). For several nodes sharing one network of workers: a PostgreSQL URL, e.g. "
                + "jdbc:postgresql://db.example.org:5432/warden, with feature warden-postgresql installed.")
        String url() default "";

        @AttributeDefinition(name = "User", description = "Database user; empty for H2's default.")
        String user() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "Database password.")
        String _password() default "";

        @AttributeDefinition(name = "Node id", description = "This node's name in a shared database (1 to 64 "
                + "characters), different on every node. Empty: a generated one, kept in ${karaf.data}/warden/node-id.")
        String nodeId() default "";

        @AttributeDefinition(name = "Outcome durability", description = "async: a job outcome is acknowledged at once "
                + "and committed within the asynchronous window; sync: only once committed.",
                options = { @Option(value = "async"), @Option(value = "sync") })
        String outcomeDurability() default "async";

        @AttributeDefinition(name = "Health report durability", description = "As for outcomes.",
                options = { @Option(value = "async"), @Option(value = "sync") })
        String healthDurability() default "async";

        @AttributeDefinition(name = "Asynchronous window (ms)", description = "An asynchronous record is committed "
                + "within about this long; callers are held back when the writer falls behind. A crash loses at most "
                + "the asynchronous records of this window. In [1, 60000].")
        long asyncWindowMs() default 100;

        @AttributeDefinition(name = "Follow interval (ms)", description = "How often a node reads the changes the "
                + "other nodes sharing a PostgreSQL database committed: they see each other's bans and penalties within "
                + "about this long. In [10, 600000].")
        long followIntervalMs() default 1000;

        @AttributeDefinition(name = "Retry interval (s)", description = "How often an unavailable database is tried "
                + "again. In [1, 3600].")
        long retryIntervalSeconds() default 5;

        @AttributeDefinition(name = "Synchronous timeout (ms)", description = "How long a call that must be committed "
                + "(a ban, a penalty) waits for the commit before it fails, saying it is not durable yet. In [1, 600000].")
        long syncTimeoutMs() default 10_000;

        @AttributeDefinition(name = "Backlog limit", description = "Records kept in memory for a database that is "
                + "unavailable; beyond it new records are refused (never dropped). In [1000, 100000000].")
        int maxBacklog() default 1_000_000;

        @AttributeDefinition(name = "Checkpoint interval (minutes)", description = "How often every worker's record "
                + "is written as a checkpoint (if enough changed), after which a start reads only the journal rows "
                + "after it, and the rows every node is past are deleted. In [1, 10080].")
        long checkpointIntervalMinutes() default 10;

        @AttributeDefinition(name = "Checkpoint minimum changes", description = "Changes committed since the last "
                + "checkpoint below which none is written. In [0, 1000000000].")
        long checkpointMinChanges() default 10_000;

        @AttributeDefinition(name = "History retention (hours)", description = "How long the journal, auctions "
                + "included, is kept for warden:whatif to replay under another policy: checkpoints delete only older "
                + "rows. 0: no history, no auction recorded. In [0, 8784] (a year).")
        long historyRetentionHours() default 168;

        @AttributeDefinition(name = "Connect timeout (s)", description = "How long opening a connection (login "
                + "included) may take before it fails and the store retries. In [1, 600].")
        long connectTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Query timeout (s)", description = "How long one statement may take before the "
                + "database is asked to cancel it and the store retries. In [1, 3600].")
        long queryTimeoutSeconds() default 30;

        @AttributeDefinition(name = "Socket timeout (s)", description = "How long the store waits for any byte from "
                + "the database (PostgreSQL) before it gives the connection up as hung and retries; at least the "
                + "query timeout. In [1, 3600].")
        long socketTimeoutSeconds() default 60;
    }

    private final Map<String, DataSourceFactory> drivers = new ConcurrentHashMap<>();
    /** The configuration the store runs on, without the framework's properties. */
    private Map<String, Object> activeSettings = Map.of();
    private JdbcStore store;
    /**
     * Whether the configuration on file is refused: a change, or one at activation with the settings last accepted
     * in force (one refused at activation with none kept stops the engine).
     */
    private final ConfigurationRefusals refusals = new ConfigurationRefusals(PID, Clock.systemUTC());
    /** {@link #refusals}, registered for the health check while the component is active. */
    private ServiceRegistration<ConfigurationStatus> status;
    private WardenStore memoryOnly;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.ofKarafData(context.getProperty("karaf.data"));
        activeSettings = settingsOnly(properties);
        Config config;
        try {
            config = configOf(properties);
            validate(config);
            // accepted: what the next boot falls back on if a refused value is left on file
            kept.save(PID, properties);
        } catch (IllegalArgumentException e) {
            Optional<LastAcceptedConfigurations.Saved> saved = kept.read(PID);
            Config last = saved.map(StoreComponent::acceptedOrNull).orElse(null);
            if (last == null) {
                // no store in use to keep, none accepted before: without the store asked for, the engine does not
                // start (it would forget)
                LOG.error("{}; the Warden engine does not start until it is corrected", e.getMessage());
                throw e;
            }
            String applies = "the settings last accepted (saved " + saved.get().savedAt() + " in "
                    + saved.get().file() + ")";
            LOG.error("{}; {} apply", e.getMessage(), applies);
            refusals.refused(e.getMessage().replace(REFUSED, ""), applies);
            config = last;
            activeSettings = settingsOnly(new java.util.HashMap<>(saved.get().properties()));
        }
        status = context.registerService(ConfigurationStatus.class, refusals, null);
        if (!config.enabled()) {
            LOG.warn("Warden store disabled ({} enabled=false): the record is in memory only and lost on restart", PID);
            memoryOnly = MEMORY;
            return;
        }
        Path dir = dataDirectory(context);
        String url = config.url().isBlank()
                ? "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + StoreSettings.H2_OPTIONS
                : StoreSettings.h2WritesOnCommit(config.url().trim());
        String driver = StoreSettings.driverOf(url);
        JdbcJournal.Settings settings = StoreSettings.settingsOf(config, () -> nodeIdOf(dir));
        Redactor redactor = Redactor.of(url, config._password());
        Properties props = new Properties();
        if (driver.equals(StoreSettings.PG_DRIVER)) {
            // pgjdbc's DataSourceFactory takes its driver properties too: connect, login and socket timeouts
            props.putAll(settings.timeouts().postgresqlProperties(url));
        }
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        if (!config.user().isBlank()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config._password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config._password());
        }
        String backend = driver.equals(StoreSettings.H2_DRIVER) ? "h2" : "postgresql";
        int loginTimeout = settings.timeouts().loginTimeoutSeconds();
        store = new JdbcStore(() -> connect(driver, props, loginTimeout, redactor), backend, settings,
                Clock.systemUTC(), redactor);
        LOG.info("Warden store: {} at {} as node {}", backend, redactor.redact(url), settings.nodeId());
        if (redactor.reveals(url)) {
            // the url is a public component property: Karaf's service:list and config:list show it whole
            LOG.warn("Warden store ({}): the url carries a password, which anyone who can list the services' or "
                    + "the configurations' properties sees; set it as .password instead", PID);
        }
    }

    /**
     * A changed configuration: refused, with the store in use kept, if invalid; else the store restarts on it (and
     * the engine with it, restored from the database named), by disabling and enabling this component.
     */
    @Modified
    void modified(ComponentContext context, Map<String, Object> properties) {
        if (settingsOnly(properties).equals(activeSettings)) {
            // written back unchanged (e.g. by Karaf's config:property-get -p): nothing to restart for
            refusals.accepted();
            return;
        }
        try {
            validate(configOf(properties));
        } catch (IllegalArgumentException e) {
            LOG.error("{}; the store in use stays", e.getMessage());
            // the health check names the PID already: the reason alone, without the log line's preamble
            refusals.refused(e.getMessage().replace(REFUSED, ""), "the settings of the store in use");
            return;
        }
        refusals.accepted();
        LOG.info("Warden store configuration ({}) changed: restarting the store and the engine on it", PID);
        String name = (String) context.getProperties().get(ComponentConstants.COMPONENT_NAME);
        // not from inside this callback, which holds the component's lock that disabling it needs
        Thread restart = new Thread(() -> {
            context.disableComponent(name);
            context.enableComponent(name);
        }, "warden-store-restart");
        restart.setDaemon(true);
        restart.start();
    }

    /** The properties an operator sets: the framework's own (service.*, component.*, felix.*) left out. */
    private static Map<String, Object> settingsOnly(Map<String, Object> properties) {
        Map<String, Object> settings = new java.util.TreeMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.")) {
                settings.put(k, v instanceof Object[] a ? java.util.Arrays.asList(a) : v);
            }
        });
        return settings;
    }

    /**
     * The configuration read by Warden ({@link ConfigValues}), so that a value of the wrong type is refused naming its
     * key, with the message activation logs.
     */
    static Config configOf(Map<String, ?> properties) {
        try {
            return ConfigValues.typed(Config.class, properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REFUSED + e.getMessage(), e);
        }
    }

    /** The saved configuration last accepted, or null (logged) if this version refuses it too. */
    private static Config acceptedOrNull(LastAcceptedConfigurations.Saved saved) {
        try {
            Config config = configOf(saved.properties());
            validate(config);
            return config;
        } catch (IllegalArgumentException e) {
            LOG.error("The Warden store settings last accepted ({}) are refused too: {}", saved.file(), e.getMessage());
            return null;
        }
    }

    /** Throws what activation would refuse, with the message it would log. */
    static void validate(Config config) {
        if (config.enabled()) {
            if (!config.url().isBlank()) {
                StoreSettings.driverOf(config.url().trim());
            }
            StoreSettings.settingsOf(config, () -> "validation");
        }
    }

    @Deactivate
    void deactivate() {
        if (status != null) {
            status.unregister();
            status = null;
        }
        if (store != null) {
            store.close();
        }
    }

    @Override
    public Journal start(Journal.Target target) {
        return memoryOnly != null ? memoryOnly.start(target) : store.start(target);
    }

    @Override
    public StoreHealth health() {
        return memoryOnly != null ? memoryOnly.health() : store.health();
    }

    @Reference(service = DataSourceFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDriver")
    void bindDriver(DataSourceFactory factory, Map<String, Object> properties) {
        Object driver = properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS);
        if (driver != null) {
            drivers.put(driver.toString(), factory);
        }
    }

    void unbindDriver(DataSourceFactory factory, Map<String, Object> properties) {
        Object driver = properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS);
        if (driver != null) {
            drivers.remove(driver.toString(), factory);
        }
    }

    /**
     * A connection from the driver's DataSourceFactory, bounded by the login timeout; a driver's error carries no
     * password (some repeat the URL they were given).
     */
    private Connection connect(String driver, Properties props, int loginTimeoutSeconds, Redactor redactor)
            throws SQLException {
        DataSourceFactory factory = drivers.get(driver);
        if (factory == null) {
            throw new SQLException("no JDBC driver for " + driver + " is installed (a DataSourceFactory service with "
                    + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + driver + ")"
                    + (driver.equals(StoreSettings.PG_DRIVER) ? ": feature:install warden-postgresql" : ""));
        }
        try {
            DataSource ds = factory.createDataSource(props);
            ds.setLoginTimeout(loginTimeoutSeconds);
            return ds.getConnection();
        } catch (SQLException e) {
            if (redactor.redact(e) == e) {
                throw e;
            }
            SQLException safe = new SQLException(redactor.redact(e.getMessage()), e.getSQLState(), e.getErrorCode(),
                    redactor.redact(e.getCause()));
            safe.setStackTrace(e.getStackTrace());
            throw safe;
        }
    }

    /** ${karaf.data}/warden in Karaf; the bundle's own data area in another framework. */
    private static Path dataDirectory(BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        File dir = karafData != null ? new File(karafData, "warden") : context.getDataFile("warden");
        try {
            return Files.createDirectories(dir.toPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Warden store's directory " + dir, e);
        }
    }

    /** The node id kept in the data directory, generated on first start. */
    static String nodeIdOf(Path dir) {
        Path file = dir.resolve("node-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = "node-" + UUID.randomUUID();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the Warden node id in " + file, e);
        }
    }

    /** No durable store: the engine journals nothing. */
    static final WardenStore MEMORY = new WardenStore() {
        @Override
        public Journal start(Journal.Target target) {
            return Journal.NONE;
        }

        @Override
        public StoreHealth health() {
            return StoreHealth.MEMORY;
        }
    };
}
