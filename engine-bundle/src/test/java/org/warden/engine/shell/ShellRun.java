package org.warden.engine.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;

/**
 * Runs a shell command as Karaf would once it has parsed the line and injected the services: {@code execute()},
 * with what it prints on {@code System.out} and {@code System.err} captured, and the line Karaf's console prints
 * when the command fails with a {@link CommandException} (its {@code getNiceHelp()}). (Tests of one class run one
 * at a time, so swapping the JVM's streams is safe here.)
 */
final class ShellRun {

    /** {@code refusal}: the console's line (with its line separator) of a failed command, null if it succeeded. */
    record Output(String out, String err, String refusal) {
    }

    private ShellRun() {
    }

    static Output run(Action command) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String refusal = null;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(po);
            System.setErr(pe);
            command.execute();
        } catch (CommandException failed) {
            refusal = failed.getNiceHelp() + System.lineSeparator();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Output(o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8), refusal);
    }

    /** Sets a field Karaf injects ({@code @Reference}, private), as its shell does. */
    static <T> T inject(T command, String field, Object value) throws ReflectiveOperationException {
        Field f = command.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(command, value);
        return command;
    }
}
