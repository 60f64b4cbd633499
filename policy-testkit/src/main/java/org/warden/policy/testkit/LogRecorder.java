package org.warden.policy.testkit;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;

/**
 * An SLF4J {@link Logger} that records every call instead of printing it, so a policy's tests can assert what its
 * component logs (a refused configuration, the settings in force) without a logging backend. Hand
 * {@link #logger()} to the component under test and read {@link #calls()}. Shared by every policy bundle's tests
 * (and an outside author's) instead of a copy each.
 */
public final class LogRecorder {
    /**
     * One call to the logger: its level (the method's name: {@code info}, {@code error}, ...) and its arguments,
     * the format first, varargs flattened, a trailing exception last as SLF4J takes it.
     */
    public record Call(String level, List<Object> args) {
        /**
         * The message as the log shows it: each {} replaced by the next argument, in order; an argument left over
         * (a trailing exception, whose stack trace a log prints after the message) follows in brackets.
         */
        public String text() {
            String format = (String) args.get(0);
            StringBuilder out = new StringBuilder();
            int from = 0;
            int arg = 1;
            for (int at = format.indexOf("{}"); at >= 0; at = format.indexOf("{}", from)) {
                out.append(format, from, at).append(arg < args.size() ? args.get(arg++) : "{}");
                from = at + 2;
            }
            out.append(format.substring(from));
            for (; arg < args.size(); arg++) {
                out.append(" [").append(args.get(arg)).append(']');
            }
            return out.toString();
        }
    }

    // Copy-on-write: a component may log from whichever thread Declarative Services calls it on.
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    // A proxy rather than a hand-written class: SLF4J's Logger has some sixty methods, all of which record alike.
    private final Logger logger = (Logger) Proxy.newProxyInstance(LogRecorder.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "LogRecorder";
                    };
                }
                if (method.getReturnType() == boolean.class) {
                    return true; // isXxxEnabled: every level is recorded
                }
                if (method.getReturnType() == String.class) {
                    return "LogRecorder"; // getName
                }
                calls.add(new Call(method.getName(), args == null ? List.of() : flatten(args)));
                return null;
            });

    /** The logger to hand to the code under test. */
    public Logger logger() {
        return logger;
    }

    /** Every call so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls at one level ({@code "error"}, {@code "info"}, ...), oldest first. */
    public List<Call> at(String level) {
        return calls.stream().filter(c -> c.level().equals(level)).toList();
    }

    private static List<Object> flatten(Object[] args) {
        List<Object> out = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Object[] array) {
                out.addAll(Arrays.asList(array));
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
