package org.warden.engine.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the store waits for its database, on every connection it opens: a database that hangs (a TCP connection
 * nobody answers, a lock nobody releases) must fail the store's call, so that the store says it is unavailable and
 * retries, rather than hold its writer forever while it still says it is available.
 *
 * <ul>
 * <li>{@code connect}: opening a connection, handshake and login included (the driver's login timeout; PostgreSQL's
 * {@code connectTimeout} and {@code loginTimeout});
 * <li>{@code query}: one statement ({@link Statement#setQueryTimeout}, set on every statement the connection makes):
 * the server cancels it, the transaction is rolled back;
 * <li>{@code socket}: no byte from the server for this long ({@link Connection#setNetworkTimeout}; PostgreSQL's
 * {@code socketTimeout}, also during the handshake): the backstop for a network that swallows everything, the
 * cancel of a query timeout included. Longer than {@code query}, so that a slow statement is cancelled cleanly
 * first. PostgreSQL's sessions also end a transaction left idle this long
 * ({@code idle_in_transaction_session_timeout}), so a writer that vanished mid-commit does not hold the journal's
 * lock, and every node's commits, until TCP notices.
 * </ul>
 * H2's embedded database has no network: only the query timeout applies to it (its lock timeout bounds waits).
 */
public record Timeouts(Duration connect, Duration query, Duration socket) {

    /** Connect 10 s, a statement 30 s, silence on the socket 60 s. */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    private static final Logger LOG = LoggerFactory.getLogger(Timeouts.class);
    /** {@link Connection#setNetworkTimeout} wants an executor for the abort it may do; ours has nothing to run. */
    private static final Executor DIRECT = Runnable::run;

    public Timeouts {
        for (Duration d : new Duration[] { connect, query, socket }) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("timeouts must be positive and under 24 days, were connect "
                        + connect + ", query " + query + ", socket " + socket);
            }
        }
    }

    /** Seconds, at least 1: what JDBC's timeouts in seconds take. */
    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
    }

    /**
     * The driver properties that bound PostgreSQL's connection, for those the URL does not set itself (an
     * operator's URL wins): pgjdbc's DataSourceFactory and DriverManager both take them.
     */
    public Properties postgresqlProperties(String url) {
        Properties p = new Properties();
        String lower = url.toLowerCase(Locale.ROOT);
        putUnlessInUrl(p, lower, "connectTimeout", seconds(connect));
        putUnlessInUrl(p, lower, "loginTimeout", seconds(connect));
        putUnlessInUrl(p, lower, "socketTimeout", seconds(socket));
        return p;
    }

    private static void putUnlessInUrl(Properties p, String lowerUrl, String key, int seconds) {
        if (!lowerUrl.contains(key.toLowerCase(Locale.ROOT) + "=")) {
            p.setProperty(key, Integer.toString(seconds));
        }
    }

    /** The login timeout for a {@link javax.sql.DataSource}, in seconds. */
    public int loginTimeoutSeconds() {
        return seconds(connect);
    }

    /**
     * {@code c} with the socket timeout set and a query timeout on every statement it makes; on PostgreSQL, with
     * idle transactions ended after the socket timeout. Closes {@code c} if that fails.
     */
    Connection apply(Connection c) throws SQLException {
        try {
            try {
                c.setNetworkTimeout(DIRECT, (int) socket.toMillis());
            } catch (SQLFeatureNotSupportedException e) {
                // a driver without a network (H2 embedded ignores it; another may refuse it): nothing to bound
                LOG.debug("Warden store: the JDBC driver has no network timeout: {}", e.getMessage());
            }
            if (Schema.Dialect.of(c) == Schema.Dialect.POSTGRESQL) {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(seconds(query));
                    s.execute("SET idle_in_transaction_session_timeout = " + socket.toMillis());
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        int querySeconds = seconds(query);
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Statement s) {
                s.setQueryTimeout(querySeconds);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Timeouts.class.getClassLoader(), new Class<?>[] { Connection.class },
                handler);
    }
}
