package org.warden.engine.store;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

/** Fault injection for the store's tests: connections that fail or hang on chosen statements; captured logs. */
final class Faults {

    /** Decides, before a statement is prepared, whether it fails (throws) or hangs (blocks). */
    @FunctionalInterface
    interface Fault {
        void before(String sql) throws Throwable;
    }

    private Faults() {
    }

    /** {@code c}, with {@code fault} run before every statement it prepares. */
    static Connection inject(Connection c, Fault fault) {
        return (Connection) Proxy.newProxyInstance(Faults.class.getClassLoader(), new Class<?>[] { Connection.class },
                (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                        fault.before(sql);
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * {@code System.err} captured (slf4j-simple, the tests' logger, looks it up at every line), by any thread, and
     * still written through, until closed.
     */
    static final class StderrCapture implements AutoCloseable {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        StderrCapture() {
            PrintStream through = original;
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8) {
                @Override
                public void write(byte[] b, int off, int len) {
                    super.write(b, off, len);
                    through.write(b, off, len);
                }
            });
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
