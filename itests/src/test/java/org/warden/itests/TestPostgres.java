package org.warden.itests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server for a test of real Karaf processes, and a database of its own on it.
 *
 * <p>With the environment variable {@code WARDEN_TEST_PG_URL} (set by {@code .ci/run}, e.g.
 * {@code jdbc:postgresql://127.0.0.1:55432/warden}) that server is used, as the user {@code WARDEN_TEST_PG_USER}
 * (default {@code warden}, no password); otherwise {@link #start()} starts a private one with
 * {@code .ci/postgres.sh start DIR PORT} (the project root found by walking up from the working directory), in a new
 * temporary directory on a free port, and {@link #close()} stops it ({@code .ci/postgres.sh stop DIR}) and deletes
 * the directory. Either way the test gets a fresh database ({@link #createDatabase}), dropped by
 * {@link #dropDatabase}: it never touches the tables of the database the URL names. As the engine's
 * {@code LocalPostgres} (in engine-bundle's tests, which this module cannot see).
 */
final class TestPostgres implements AutoCloseable {

    static final String URL_ENV = "WARDEN_TEST_PG_URL";
    static final String USER_ENV = "WARDEN_TEST_PG_USER";
    static final String DEFAULT_USER = "warden";
    static final String SCRIPT = ".ci/postgres.sh";

    /** The script may have to install PostgreSQL with apt-get. */
    private static final long START_TIMEOUT_SECONDS = 600;
    private static final long STOP_TIMEOUT_SECONDS = 60;
    /** jdbc:postgresql://host:port/database?parameters */
    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?");

    private final String url;
    private final String user;
    /** The private server's directory, null for the server of WARDEN_TEST_PG_URL. */
    private final Path serverDir;
    private final Path script;

    private TestPostgres(String url, String user, Path serverDir, Path script) {
        if (!JDBC_URL.matcher(url).matches()) {
            throw new IllegalStateException("not a jdbc:postgresql://host:port/database URL: " + url);
        }
        this.url = url;
        this.user = user;
        this.serverDir = serverDir;
        this.script = script;
    }

    /** The server of {@code WARDEN_TEST_PG_URL}, or a private one started now. */
    static TestPostgres start() throws Exception {
        String envUrl = System.getenv(URL_ENV);
        if (envUrl != null && !envUrl.isBlank()) {
            String envUser = System.getenv(USER_ENV);
            String user = envUser == null || envUser.isBlank() ? DEFAULT_USER : envUser.trim();
            System.out.println("PostgreSQL of " + URL_ENV + ": " + envUrl.trim() + " as " + user);
            return new TestPostgres(envUrl.trim(), user, null, null);
        }
        Path script = projectRoot().resolve(SCRIPT);
        // the server's unix socket goes in this directory, and its path may have at most 107 bytes
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (tmp.toString().length() > 60 && Files.isDirectory(Path.of("/tmp"))) {
            tmp = Path.of("/tmp");
        }
        Path dir = Files.createTempDirectory(tmp, "warden-twonodes-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t = System.nanoTime();
        Result r = run(script, START_TIMEOUT_SECONDS, "start", dir.toString(), Integer.toString(port));
        String jdbcUrl = r.stdout().lines().map(String::trim).filter(l -> l.startsWith("jdbc:postgresql://"))
                .reduce((first, second) -> second).orElse(null);
        TestPostgres server = new TestPostgres(jdbcUrl == null ? "jdbc:postgresql://127.0.0.1:" + port + "/warden" : jdbcUrl,
                DEFAULT_USER, dir, script);
        if (r.exit() == null || r.exit() != 0 || jdbcUrl == null) {
            server.close(); // whatever half of it started
            throw new IllegalStateException("`bash " + script + " start " + dir + " " + port + "` "
                    + (r.exit() == null ? "timed out" : "exited with " + r.exit()) + " (set " + URL_ENV
                    + " to use a running server); its stderr:\n" + r.stderr() + "\nits stdout:\n" + r.stdout());
        }
        System.out.printf("PostgreSQL started by %s in %s: %s (%.1f s)%n", SCRIPT, dir, jdbcUrl,
                KarafProcess.secs(t, System.nanoTime()));
        return server;
    }

    /** The user the test connects as, and the nodes too (no password). */
    String user() {
        return user;
    }

    /** The JDBC URL of the database {@code name} on this server (the parameters of the server's URL kept). */
    String jdbcUrl(String name) {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("not a jdbc:postgresql URL: " + url);
        }
        return m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
    }

    /** Creates an empty database {@code prefix_<random>} and returns its name. */
    String createDatabase(String prefix) throws SQLException {
        String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
        return name;
    }

    /** Drops the database {@code name}, ending the sessions still on it first. */
    void dropDatabase(String name) throws SQLException {
        try (Connection c = connect(url)) {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                p.setString(1, name);
                p.executeQuery().close();
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
            }
        }
    }

    /** A connection to the database of {@code jdbcUrl} as the test's user. */
    Connection connect(String jdbcUrl) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** Stops and deletes the private server, if this started one. Never throws. */
    @Override
    public void close() {
        if (serverDir == null) {
            return;
        }
        try {
            Result r = run(script, STOP_TIMEOUT_SECONDS, "stop", serverDir.toString());
            if (r.exit() == null || r.exit() != 0) {
                System.out.println("Could not stop the PostgreSQL server in " + serverDir + " (left there):\n" + r.stderr());
                return;
            }
            KarafProcess.deleteTree(serverDir);
            System.out.println("PostgreSQL in " + serverDir + " stopped and deleted");
        } catch (Exception e) {
            System.out.println("Could not stop or delete the PostgreSQL server in " + serverDir + ": " + e);
        }
    }

    /** The directory holding {@code .ci/postgres.sh}: the working directory (itests/ under Maven) or a parent. */
    static Path projectRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in " + start + " or its parents: cannot start PostgreSQL"
                + " for the test (set " + URL_ENV + " to use a running server)");
    }

    /** The script's exit code (null: timed out), its stdout and its stderr. */
    private record Result(Integer exit, String stdout, String stderr) {
    }

    private static Result run(Path script, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("warden-pg-", ".out");
        Path err = Files.createTempFile("warden-pg-", ".err");
        try {
            List<String> command = new ArrayList<>(List.of("bash", script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command)
                    .directory(script.getParent().getParent().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            p.getOutputStream().close(); // no input: never the JVM's stdin, which Failsafe talks through
            Integer exit;
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                exit = p.exitValue();
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                exit = null;
            }
            return new Result(exit, Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
