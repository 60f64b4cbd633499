package org.warden.itests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.rules.TestWatcher;
import org.junit.runner.Description;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real Karaf distribution ({@code apache-karaf-4.4.10.tar.gz}) in a process of its own, as an operator runs it:
 * unpacked into a folder of {@code target/}, configured (this build's Warden features repository and {@code warden} as
 * a boot feature, offline Maven resolution, free ports, the {@code karaf} user enabled), started by
 * {@code bin/karaf server}, driven over SSH by {@code bin/client}, killed with SIGKILL or stopped. Not Pax Exam: Pax
 * Exam can neither restart its container nor run two of them. Used by {@link KarafRestartIT} and
 * {@link KarafTwoNodesIT}.
 *
 * <p>Karaf resolves {@code mvn:} URLs offline as in {@link WardenTestSupport}: its {@code system} folder, this build's
 * {@code target/itest-repo}, then the local repository; no remote repository, and no snapshot updates (another build
 * installing Warden in the local repository meanwhile must not update the bundles of this Karaf under the test).
 * Ports (SSH, RMI registry and server) are free ones chosen at {@link #unpack}, the same for every start. Unix only
 * (tar, the bin/ scripts).
 *
 * <p>Over SSH, a refused Warden command prints its one line {@code Error: ...} and {@code bin/client} exits with 1 (the
 * command fails with Karaf's {@code CommandException}).
 */
final class KarafProcess {

    /** Longest wait for Karaf to boot and Warden's commands to answer (the first boot installs every bundle). */
    static final Duration BOOT_WAIT = Duration.ofSeconds(180);
    /** Longest a single bin/client call may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Longest wait for anything else: a process gone, tar. */
    static final Duration WAIT = Duration.ofSeconds(30);

    static final String USER = "karaf";
    static final String PASSWORD = "karaf";

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final int LOG_TAIL_LINES = 200;
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The ports {@link #freePorts} gave (guarded by KarafProcess.class). */
    private static final Set<Integer> GIVEN_PORTS = new HashSet<>();

    /** What bin/client printed (stdout and stderr together, as the client writes both to its terminal) and its exit code. */
    record ClientResult(int exit, String out) {
    }

    private final String name;
    private final Path runDir;
    private final Path home;
    private final int sshPort;
    /** bin/karaf of the running Karaf (read by the shutdown hook too). */
    private volatile Process karaf;
    private Thread killOnExit;

    private KarafProcess(String name, Path runDir, Path home, int sshPort) {
        this.name = name;
        this.runDir = runDir;
        this.home = home;
        this.sshPort = sshPort;
    }

    /**
     * Unpacks the distribution into {@code runDir/karaf} ({@code runDir} emptied first) and configures it: this build's
     * features repository, {@code warden} added to the boot features, no snapshot updates, offline Maven resolution,
     * free ports, the {@code karaf} user (password {@code karaf}, admingroup) enabled for bin/client.
     *
     * @param name what the log lines and the shutdown hook call this Karaf
     */
    static KarafProcess unpack(String name, Path runDir) throws Exception {
        String distribution = required("warden.karaf.distribution");
        String version = required("warden.version");
        String itestRepository = new File(required("warden.itest.repo")).toURI().toString();
        String localRepository = required("warden.local.repo");
        deleteTree(runDir);
        Path home = runDir.resolve("karaf");
        untar(Path.of(distribution), home, runDir);

        Path etc = home.resolve("etc");
        // Boot with this build's Warden, as an operator who adds its features repository and boot feature.
        Path features = etc.resolve("org.apache.karaf.features.cfg");
        editCfg(features, "featuresRepositories", v -> required(v, "featuresRepositories")
                + ", mvn:org.warden/warden-karaf-feature/" + version + "/xml/features");
        editCfg(features, "featuresBoot", v -> required(v, "featuresBoot") + ", warden");
        editCfg(features, "updateSnapshots", v -> "none");

        // Offline Maven resolution (as WardenTestSupport): the system folder, this build's artifacts, the local repository.
        Path mvn = etc.resolve("org.ops4j.pax.url.mvn.cfg");
        editCfg(mvn, "org.ops4j.pax.url.mvn.localRepository", v -> localRepository);
        editCfg(mvn, "org.ops4j.pax.url.mvn.defaultRepositories",
                v -> "${karaf.home.uri}system@id=system.repository@snapshots, " + itestRepository + "@id=warden.itest@snapshots");
        editCfg(mvn, "org.ops4j.pax.url.mvn.repositories", v -> "");

        int[] ports = freePorts(etc);

        // Karaf 4.4.10 ships its karaf user and admingroup commented out: enable them, for bin/client.
        Path users = etc.resolve("users.properties");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(users)) {
            lines.add(line.startsWith("#karaf =") || line.startsWith("#_g_\\:admingroup =") ? line.substring(1) : line);
        }
        Files.write(users, lines);
        assertTrue(users + " should give the karaf user", lines.contains("karaf = karaf,_g_:admingroup"));
        assertTrue(users + " should give admingroup admin and ssh",
                lines.stream().anyMatch(l -> l.startsWith("_g_\\:admingroup =") && l.contains("admin") && l.contains("ssh")));
        System.out.println("Karaf " + name + " in " + home + ", SSH port " + ports[0] + ", RMI ports " + ports[1]
                + " and " + ports[2]);
        return new KarafProcess(name, runDir, home, ports[0]);
    }

    /**
     * Extracts a Karaf distribution archive into {@code runDir/karaf} ({@code runDir} emptied first) and changes
     * nothing in it but its ports (free ones): for a distribution that must run as shipped ({@link DistributionIT}).
     */
    static KarafProcess extract(String name, Path runDir, Path archive) throws Exception {
        deleteTree(runDir);
        Path home = runDir.resolve("karaf");
        untar(archive, home, runDir);
        int[] ports = freePorts(home.resolve("etc"));
        System.out.println("Karaf " + name + " in " + home + ", SSH port " + ports[0]);
        return new KarafProcess(name, runDir, home, ports[0]);
    }

    private static void untar(Path archive, Path home, Path runDir) throws Exception {
        Files.createDirectories(home);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", home.toString(), "--strip-components=1")
                .redirectErrorStream(true).redirectOutput(runDir.resolve("tar.log").toFile()).start();
        assertTrue("tar -xzf " + archive + " took too long", tar.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("tar -xzf " + archive + ": " + Files.readString(runDir.resolve("tar.log")), 0, tar.exitValue());
        assertTrue(home.resolve("bin/karaf") + " should be there", Files.isExecutable(home.resolve("bin/karaf")));
    }

    /** Free ports (SSH, RMI registry and server) set in Karaf's {@code etc/}, the same for every start. */
    private static int[] freePorts(Path etc) throws IOException {
        int[] ports = freePorts(3);
        editCfg(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", v -> Integer.toString(ports[0]));
        editCfg(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", v -> Integer.toString(ports[1]));
        editCfg(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", v -> Integer.toString(ports[2]));
        return ports;
    }

    String name() {
        return name;
    }

    /** The folder holding {@code karaf/} (KARAF_HOME), the console log and the client's output. */
    Path runDir() {
        return runDir;
    }

    /** KARAF_HOME. */
    Path home() {
        return home;
    }

    int sshPort() {
        return sshPort;
    }

    boolean running() {
        return karaf != null;
    }

    /** Starts {@code bin/karaf server} (no local console), its output appended to {@code karaf-console.log}. */
    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("karaf-console.log").toFile()));
        environment(builder);
        karaf = builder.start();
        karaf.getOutputStream().close();
        if (killOnExit == null) {
            // Should this JVM be ended (Failsafe's fork timeout) before the test stops Karaf: no Karaf left running.
            killOnExit = new Thread(() -> {
                Process p = karaf;
                if (p != null) {
                    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }, "kill Karaf " + name);
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
    }

    /** Until {@code warden:network} answers over SSH: Karaf booted, its boot features installed, Warden's commands there. */
    void awaitWarden() {
        await("Karaf " + name + " up and warden:network answering over SSH").atMost(BOOT_WAIT)
                .pollDelay(Duration.ofSeconds(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Process p = karaf;
                    if (p == null) {
                        throw new AssertionError("Karaf " + name + " is not started");
                    }
                    if (!p.isAlive()) {
                        throw new AssertionError("Karaf " + name + " exited with " + p.exitValue() + " while booting");
                    }
                    ClientResult r = client("warden:network");
                    return r.exit() == 0 && r.out().contains("policyName");
                });
    }

    /**
     * {@code kill -9}: bin/karaf runs Java as its child (it execs it only for {@code daemon}); SIGKILL every descendant
     * (the JVM) first, then the script, and wait until all are gone.
     */
    void kill9() {
        ProcessHandle script = karaf.toHandle();
        List<ProcessHandle> descendants = script.descendants().toList();
        assertTrue("bin/karaf should have a java process under it: " + describe(descendants),
                descendants.stream().anyMatch(p -> p.info().command().orElse("").endsWith("java")));
        List<ProcessHandle> all = Stream.concat(descendants.stream(), Stream.of(script)).toList();
        String killed = describe(all);
        descendants.forEach(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
        await("Karaf " + name + "'s processes gone after SIGKILL").atMost(WAIT)
                .until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        System.out.println("Killed -9: " + killed);
        karaf = null;
    }

    /**
     * Stops Karaf if it runs: SIGTERM to the JVM (Karaf's shutdown hook stops the framework) and the script; SIGKILL
     * if it lingers. Then removes the shutdown hook. Never throws: for {@code @After}.
     */
    void stop() {
        Process p = karaf;
        if (p != null) {
            long t = System.nanoTime();
            stop(p.toHandle());
            System.out.printf("Karaf %s stopped in %.1f s%n", name, secs(t, System.nanoTime()));
            karaf = null;
        }
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs
            }
            killOnExit = null;
        }
    }

    private static void stop(ProcessHandle script) {
        List<ProcessHandle> all = Stream.concat(script.descendants(), Stream.of(script)).toList();
        all.forEach(ProcessHandle::destroy);
        try {
            await("Karaf stopped").atMost(WAIT).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        } catch (RuntimeException e) {
            System.out.println("Karaf did not stop within " + WAIT + ": SIGKILL " + describe(all));
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList().toString();
    }

    /**
     * A rule that prints the logs of every Karaf {@code nodes} gives (null ones skipped) when a test fails. The
     * supplier reads the test's fields through {@code this.}: they are assigned after the rule is made.
     */
    static TestWatcher dumpLogsOnFailure(Supplier<List<KarafProcess>> nodes) {
        return new TestWatcher() {
            @Override
            protected void failed(Throwable e, Description description) {
                for (KarafProcess node : nodes.get()) {
                    if (node != null) {
                        node.dumpLogs();
                    }
                }
            }
        };
    }

    /** Prints the last lines of {@code data/log/karaf.log} and of the console log. Never throws. */
    void dumpLogs() {
        for (Path log : List.of(home.resolve("data/log/karaf.log"), runDir.resolve("karaf-console.log"))) {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                System.out.println("==== Karaf " + name + ": last " + LOG_TAIL_LINES + " lines of " + log + " ("
                        + lines.size() + " lines)");
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(System.out::println);
            } catch (IOException | RuntimeException e) {
                System.out.println("==== " + log + ": " + e);
            }
        }
    }

    // ---------------------------------------------------------------- the shell, over SSH

    /**
     * Runs a command through {@code bin/client -b} (batch: the command on its standard input; several lines are run
     * one after the other in one session). Without {@code -b} the client closes the session as soon as its own standard
     * input ends. Thread-safe: each call has its own output file.
     */
    ClientResult client(String command) throws Exception {
        return client(command, true);
    }

    /**
     * Runs {@code command} at an interactive console fed from stdin (no {@code -b}): what a command <em>returns</em>
     * is printed there, as an operator sees it, where the batch mode prints only what a command writes (Felix's
     * {@code hc:exec} returns its table). The output holds the console's banner and prompts too.
     */
    String console(String command) throws Exception {
        ClientResult r = client(command, false);
        assertEquals(command + " printed: " + r.out(), 0, r.exit());
        return r.out();
    }

    private ClientResult client(String command, boolean batch) throws Exception {
        Path out = Files.createTempFile(runDir, "client-output-", ".txt");
        try {
            List<String> args = new ArrayList<>(List.of(home.resolve("bin/client").toString(),
                    "-h", "127.0.0.1", "-a", Integer.toString(sshPort), "-u", USER, "-p", PASSWORD));
            if (batch) {
                args.add(1, "-b");
            }
            ProcessBuilder builder = new ProcessBuilder(args)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            environment(builder);
            Process p = builder.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((command + "\n").getBytes(UTF_8));
            }
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("bin/client of Karaf " + name + " \"" + command + "\" took more than "
                        + COMMAND_TIMEOUT);
            }
            return new ClientResult(p.exitValue(), ANSI.matcher(Files.readString(out, UTF_8)).replaceAll(""));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs a command that must succeed (exit code 0); what it printed. */
    String assertCommand(String command) throws Exception {
        ClientResult r = client(command);
        assertEquals(command + " printed: " + r.out(), 0, r.exit());
        return r.out();
    }

    /** Runs a command that prints JSON. */
    JsonNode json(String command) throws Exception {
        String out = assertCommand(command);
        if (out.isBlank()) {
            throw new AssertionError(command + " printed nothing");
        }
        try {
            return MAPPER.readTree(out);
        } catch (IOException e) {
            throw new AssertionError(command + " did not print JSON: " + out, e);
        }
    }

    /** bin/karaf and bin/client with the JVM running this test, and no Karaf location inherited from the caller. */
    static void environment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        for (String variable : List.of("KARAF_HOME", "KARAF_BASE", "KARAF_DATA", "KARAF_ETC", "KARAF_LOG", "KARAF_OPTS",
                "KARAF_DEBUG", "KARAF_EXEC", "EXTRA_JAVA_OPTS")) {
            env.remove(variable);
        }
    }

    // ---------------------------------------------------------------- Karaf's .cfg files

    /**
     * Sets {@code key} in a Karaf {@code .cfg} file (Felix properties: a value goes on over lines ending with a
     * backslash) to {@code update} of its current value (null when absent), in place of its lines, or at the end.
     */
    static void editCfg(Path file, String key, UnaryOperator<String> update) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int[] range = cfgLines(lines, key);
        String line = key + " = " + update.apply(range == null ? null : cfgValue(lines, range, key));
        if (range == null) {
            lines.add(line);
        } else {
            lines.subList(range[0], range[1]).clear();
            lines.add(range[0], line);
        }
        Files.write(file, lines);
    }

    /** A value of a Karaf {@code .cfg} file, its lines joined; null when absent. */
    static String cfgValue(Path file, String key) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int[] range = cfgLines(lines, key);
        return range == null ? null : cfgValue(lines, range, key);
    }

    /** The lines [from, to) of the first property {@code key}, or null. */
    private static int[] cfgLines(List<String> lines, String key) {
        Pattern keyLine = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        for (int i = 0; i < lines.size(); i++) {
            if (keyLine.matcher(lines.get(i)).matches()) {
                int end = i;
                while (continues(lines.get(end)) && end + 1 < lines.size()) {
                    end++;
                }
                return new int[] { i, end + 1 };
            }
        }
        return null;
    }

    private static String cfgValue(List<String> lines, int[] range, String key) {
        StringBuilder value = new StringBuilder();
        for (int i = range[0]; i < range[1]; i++) {
            String part = lines.get(i);
            if (i == range[0]) { // what follows "key =" (or "key:")
                part = part.substring(part.indexOf(key) + key.length()).stripLeading().substring(1);
            }
            value.append(continues(part) ? part.substring(0, part.length() - 1) : part).append(' ');
        }
        return value.toString().trim().replaceAll("\\s+", " ");
    }

    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    // ---------------------------------------------------------------- helpers

    private static String required(String value, String what) {
        assertNotNull(what + " should be in the distribution's configuration", value);
        return value;
    }

    /** A system property Failsafe sets (see itests/pom.xml). */
    static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + key + " is not set: run the tests with Maven (mvn verify)");
        }
        return value;
    }

    /**
     * {@code count} ports free now, none of them given before in this JVM (two Karafs configured one after the other
     * must not get the same port, though each was closed again in between).
     */
    static synchronized int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket;
                do {
                    socket = new ServerSocket(0);
                    sockets.add(socket);
                } while (!GIVEN_PORTS.add(socket.getLocalPort()));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static double secs(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
