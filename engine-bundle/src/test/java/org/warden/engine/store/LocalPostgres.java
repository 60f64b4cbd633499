package org.warden.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server for the tests, one per JVM, on 127.0.0.1.
 *
 * <p>With the environment variable {@code WARDEN_TEST_PG_URL} (set by {@code .ci/run}, which starts the server
 * with {@code .ci/postgres.sh}) the tests use that server, as the user {@code WARDEN_TEST_PG_USER} (default
 * {@code warden}, no password). Without it, e.g. in a developer's plain {@code mvn verify}, the first
 * {@link #get()} starts a private server with {@code .ci/postgres.sh} in a new temporary directory on a free
 * port, stopped and deleted when the JVM exits. When no server can be had, {@link #get()} throws: the tests
 * that need PostgreSQL fail, they are never skipped.
 *
 * <p>Every test takes its own empty database from {@link #freshDatabase(String)}.
 */
public final class LocalPostgres {
    public static final String URL_ENV = "WARDEN_TEST_PG_URL";
    public static final String USER_ENV = "WARDEN_TEST_PG_USER";
    static final String DEFAULT_USER = "warden";
    static final String SCRIPT = ".ci/postgres.sh";

    /** How long the script may take: it may have to install PostgreSQL with apt-get. */
    private static final long START_TIMEOUT_MINUTES = 10;
    private static final long STOP_TIMEOUT_SECONDS = 60;
    private static final int START_ATTEMPTS = 3;
    /** jdbc:postgresql://host:port/database?parameters */
    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?");

    private static LocalPostgres instance; // guarded by LocalPostgres.class
    private static IllegalStateException failure; // guarded by LocalPostgres.class: a start that failed is not retried

    private final String url;
    private final String user;
    private final AtomicInteger databases = new AtomicInteger();

    private LocalPostgres(String url, String user) {
        if (!JDBC_URL.matcher(url).matches()) {
            throw new IllegalStateException("not a jdbc:postgresql://host:port/database URL: " + url);
        }
        this.url = url;
        this.user = user;
    }

    /** The JVM's server: the one of {@code WARDEN_TEST_PG_URL}, else a private one started on first use. */
    public static synchronized LocalPostgres get() {
        if (instance != null) {
            return instance;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        try {
            String envUrl = System.getenv(URL_ENV);
            String envUser = System.getenv(USER_ENV);
            String user = envUser == null || envUser.isBlank() ? DEFAULT_USER : envUser.trim();
            instance = envUrl == null || envUrl.isBlank()
                    ? new LocalPostgres(startPrivateServer(), DEFAULT_USER)
                    : new LocalPostgres(envUrl.trim(), user);
            return instance;
        } catch (IllegalStateException e) {
            failure = e;
            throw e;
        }
    }

    /** The JDBC URL of the server's {@code warden} database (or of the database {@code WARDEN_TEST_PG_URL} names). */
    public String url() {
        return url;
    }

    /** The user the tests connect as (no password). */
    public String user() {
        return user;
    }

    /** The JDBC URL of the database {@code dbName} on this server. */
    public String jdbcUrl(String dbName) {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("not a jdbc:postgresql URL: " + url);
        }
        return m.group(1) + dbName + (m.group(3) == null ? "" : m.group(3));
    }

    /** The JDBC URL of a data source of {@link #freshDatabase(String)} or {@link #dataSource(String)}. */
    public String url(DataSource dataSource) {
        if (!(dataSource instanceof PGSimpleDataSource)) {
            throw new IllegalArgumentException("not a data source of LocalPostgres: " + dataSource);
        }
        return jdbcUrl(((PGSimpleDataSource) dataSource).getDatabaseName());
    }

    /** A data source for the existing database {@code dbName} on this server. */
    public PGSimpleDataSource dataSource(String dbName) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl(dbName));
        ds.setUser(user);
        return ds;
    }

    /**
     * Creates a new, empty database and returns a data source for it. Its name is {@code prefix} (lower case,
     * characters other than letters, digits and underscores replaced by underscores), a counter and a random
     * suffix, so tests, runs and JVMs sharing one server never meet.
     */
    public PGSimpleDataSource freshDatabase(String prefix) {
        String name = databaseName(prefix, databases.incrementAndGet());
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(url);
        admin.setUser(user);
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + " on " + url + " as " + user
                    + ": " + e.getMessage(), e);
        }
        return dataSource(name);
    }

    static String databaseName(String prefix, int counter) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (p.isEmpty() || !Character.isLetter(p.charAt(0)) && p.charAt(0) != '_') {
            p = "db_" + p;
        }
        if (p.length() > 40) { // PostgreSQL's names have at most 63 bytes
            p = p.substring(0, 40);
        }
        String random = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 28, Integer.MAX_VALUE));
        return p + "_" + counter + "_" + random;
    }

    // ---- the private server

    private static String startPrivateServer() {
        Path script = projectRoot().resolve(SCRIPT);
        String lastError = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path dir = newServerDirectory();
            int port = freePort();
            Result r = runScript(script, START_TIMEOUT_MINUTES * 60, "start", dir.toString(), Integer.toString(port));
            String jdbcUrl = r.stdout.lines()
                    .map(String::trim)
                    .filter(l -> l.startsWith("jdbc:postgresql://"))
                    .reduce((first, second) -> second)
                    .orElse(null);
            if (r.exitCode == 0 && jdbcUrl != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopPrivateServer(script, dir),
                        "LocalPostgres stop " + dir));
                return jdbcUrl;
            }
            stopPrivateServer(script, dir); // whatever half of it started
            lastError = "`bash " + script + " start " + dir + " " + port + "` "
                    + (r.exitCode == null ? "timed out" : "exited with " + r.exitCode)
                    + (jdbcUrl == null && r.exitCode != null && r.exitCode == 0 ? " without printing a URL" : "")
                    + "; its stderr:\n" + r.stderr
                    + (r.stdout.isBlank() ? "" : "\nits stdout:\n" + r.stdout);
            // another process took the free port between freePort() and the server's bind: try another one
            if (!r.stderr.contains("Address already in use")) {
                break;
            }
        }
        throw new IllegalStateException("PostgreSQL could not be started for the tests (set " + URL_ENV
                + " to use a running server): " + lastError);
    }

    private static void stopPrivateServer(Path script, Path dir) {
        Result r = runScript(script, STOP_TIMEOUT_SECONDS, "stop", dir.toString());
        if (r.exitCode == null || r.exitCode != 0) {
            System.err.println("LocalPostgres: could not stop the server in " + dir + ":\n" + r.stderr);
            return; // keep the directory of a server that may still run
        }
        deleteTree(dir);
    }

    /** The directory holding {@code .ci/postgres.sh}: the working directory (a module's when Maven runs tests) or a parent. */
    static Path projectRoot() {
        Path start = Paths.get("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in " + start + " or its parents: cannot start PostgreSQL"
                + " for the tests (set " + URL_ENV + " to use a running server)");
    }

    private static Path newServerDirectory() {
        try {
            // the server's unix socket goes in this directory, and its path may have at most 107 bytes
            Path tmp = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            if (tmp.toString().length() > 60 && Files.isDirectory(Paths.get("/tmp"))) {
                tmp = Paths.get("/tmp");
            }
            return Files.createTempDirectory(tmp, "warden-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for PostgreSQL", e);
        }
    }

    private static final class Result {
        final Integer exitCode; // null: timed out
        final String stdout;
        final String stderr;

        Result(Integer exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    private static Result runScript(Path script, long timeoutSeconds, String... args) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("warden-pg-", ".out");
            err = Files.createTempFile("warden-pg-", ".err");
            List<String> command = new ArrayList<>(List.of("bash", script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command)
                    .directory(script.getParent().getParent().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            p.getOutputStream().close(); // no input: never the JVM's stdin, which Surefire talks through
            Integer exitCode;
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                exitCode = p.exitValue();
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                exitCode = null;
            }
            return new Result(exitCode, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command(script, args) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command(script, args), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String command(Path script, String... args) {
        return "bash " + script + " " + String.join(" ", args);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(LocalPostgres::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("LocalPostgres: could not delete " + dir + ": " + e);
        }
    }
}
