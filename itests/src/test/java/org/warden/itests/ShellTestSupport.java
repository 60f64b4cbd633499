package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.CommandException;
import org.junit.After;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Running {@code warden:*} commands through Karaf's shell ({@link SessionFactory}) as a subject with given roles,
 * so the command ACL shipped with the {@code warden} feature applies, as Karaf's own
 * {@code KarafTestSupport.executeCommand(command, principals)} does. Each run is also printed as a
 * {@code karaf@root()>} transcript on the test output.
 */
public abstract class ShellTestSupport extends WardenTestSupport {

    protected static final Principal ADMIN = new RolePrincipal("admin");
    protected static final Principal VIEWER = new RolePrincipal("viewer");

    private ExecutorService executor;
    protected SessionFactory sessionFactory;

    /**
     * What a command printed; {@code refusal}: the line Karaf's console prints (with its newline) when the command
     * failed with a {@link CommandException} (a {@code warden:*} refusal, which makes {@code bin/client} exit 1), else
     * null; {@code failure}: any other exception (the shell's own refusals: ACL, unknown command).
     */
    protected record Result(String out, String err, String refusal, Exception failure) {
    }

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    /** Waits for the shell and the named {@code warden:*} commands. */
    protected void awaitCommands(String... names) {
        sessionFactory = getService(SessionFactory.class);
        executor = Executors.newSingleThreadExecutor();
        for (String name : names) {
            await("command warden:" + name + " registered").atMost(WAIT)
                    .until(() -> sessionFactory.getRegistry().getCommand("warden", name) != null);
        }
    }

    @After
    public void stopExecutor() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Waits until the shell applies the warden command ACL (fileinstall, Config Admin, then the shell's listener). */
    protected void awaitCommandAcl() throws Exception {
        ConfigurationAdmin configurationAdmin = getService(ConfigurationAdmin.class);
        await("the warden command ACL configuration").atMost(WAIT).until(() ->
                configurationAdmin.listConfigurations("(service.pid=org.apache.karaf.command.acl.warden)") != null);
        await("the warden command ACL in force").atMost(WAIT)
                .until(() -> execute("warden:unban shell-acl-probe probing", VIEWER).failure(),
                        f -> f != null && "Command not found: warden:unban".equals(f.getMessage()));
    }

    /** Runs a command in a new shell session as a subject with the given roles (Karaf's executeCommand). */
    protected Result execute(String command, Principal... principals) throws Exception {
        return execute(command, WAIT, principals);
    }

    /** As {@link #execute(String, Principal...)}, waiting at most {@code timeout} for a long command. */
    protected Result execute(String command, Duration timeout, Principal... principals) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Subject subject = new Subject();
        subject.getPrincipals().addAll(Arrays.asList(principals));
        Future<Result> future = executor.submit(() -> Subject.doAs(subject, (PrivilegedExceptionAction<Result>) () -> {
            PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            String refusal = null;
            Exception failure = null;
            try (Session session = sessionFactory.create(System.in, outStream, errStream)) {
                session.execute(command);
            } catch (CommandException e) {
                refusal = e.getNiceHelp() + "\n"; // what the console (ShellUtil.logException) prints for it
            } catch (Exception e) {
                failure = e;
            }
            outStream.flush();
            errStream.flush();
            return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), refusal,
                    failure);
        }));
        return future.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    /** Runs a command that must succeed silently on stderr; prints the transcript; returns its output. */
    protected String ok(String command, Principal... principals) throws Exception {
        Result result = execute(command, principals);
        transcript(command, result);
        assertNull(command + " threw", result.failure());
        assertNull(command + " failed", result.refusal());
        assertEquals(command + " printed on stderr", "", result.err());
        return result.out();
    }

    /**
     * Runs a command that must fail with exactly {@code Error: <message>} (Karaf's {@code CommandException}, the
     * line its console prints) and print nothing else.
     */
    protected void refused(String command, Principal principal, String expectedError) throws Exception {
        Result result = execute(command, principal);
        transcript(command, result);
        assertNull(command + " threw", result.failure());
        assertEquals(command, expectedError + "\n", result.refusal());
        assertEquals(command, "", result.out());
        assertEquals(command, "", result.err());
    }

    /** Prints what an operator would see at the console, for the README and the test report. */
    protected static void transcript(String command, Result result) {
        StringBuilder sb = new StringBuilder("karaf@root()> ").append(command).append('\n');
        sb.append(result.out());
        sb.append(result.err());
        if (result.refusal() != null) {
            sb.append(result.refusal());
        }
        if (result.failure() != null) {
            sb.append(result.failure().getMessage()).append('\n');
        }
        System.out.print(sb);
        System.out.flush();
    }

    /** The row of a {@code --no-format} table (tab-separated cells) whose first cell is {@code key}, cells trimmed. */
    protected static Optional<String[]> row(String output, String key) {
        return rows(output).stream().filter(cells -> cells.length > 0 && cells[0].equals(key)).findFirst();
    }

    /** Every row of a {@code --no-format} table, cells trimmed. */
    protected static List<String[]> rows(String output) {
        return output.lines()
                .filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split("\t")).map(String::trim).toArray(String[]::new))
                .toList();
    }

    /** The first cell of every row: the ids of a {@code warden:workers --no-format} listing, in order. */
    protected static List<String> firstCells(String output) {
        return rows(output).stream().map(cells -> cells[0]).toList();
    }

    /** A mapper that reads the shell's JSON back into the API's value types. */
    protected static ObjectMapper mapper() {
        return JsonMapper.builder().addModule(new JavaTimeModule()).build();
    }

    protected static void assertStartsWith(String prefix, String actual) {
        assertTrue("expected to start with '" + prefix + "': " + actual, actual.startsWith(prefix));
    }
}
