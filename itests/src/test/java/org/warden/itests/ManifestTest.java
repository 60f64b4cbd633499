package org.warden.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * Checks the manifests of the Warden bundles this build made (a plain test, no OSGi framework): the shared
 * bnd settings in {@code cnf/} reach every bundle, the API exports only versioned {@code org.warden.api*}
 * packages, the engine and the policies export nothing, and a policy imports only the API and OSGi
 * packages (so installing one never refreshes the engine). Failsafe runs it after
 * {@code pre-integration-test} has copied the bundles into {@code target/itest-repo}.
 */
public class ManifestTest {

    @Rule
    public final Timeout timeout = Timeout.seconds(60);

    /** Bundle-SymbolicName to manifest, for every bundle in the itest repository. */
    private static Map<String, Attributes> bundles;

    @BeforeClass
    public static void readManifests() {
        String repo = System.getProperty("warden.itest.repo");
        assertNotNull("warden.itest.repo is not set: run with Maven (mvn verify)", repo);
        Path root = new File(repo).toPath().resolve("org/warden");
        assertTrue(root + " should hold this build's artifacts", Files.isDirectory(root));
        bundles = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Attributes main = manifest(jar).getMainAttributes();
                String bsn = main.getValue("Bundle-SymbolicName");
                assertNotNull(jar + " is not a bundle", bsn);
                bundles.put(bsn.split(";")[0].trim(), main);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String expected : List.of("org.warden.api", "org.warden.engine", "org.warden.policy.default",
                "org.warden.policy.constant", "org.warden.policy.strict", "org.warden.policy.bayesian",
                "org.warden.healthcheck", "org.warden.demo")) {
            assertTrue(expected + " should be among the built bundles " + bundles.keySet(), bundles.containsKey(expected));
        }
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertNotNull(jar + " has no manifest", manifest);
            return manifest;
        }
    }

    @Test
    public void sharedBndSettingsReachEveryBundle() {
        bundles.forEach((bsn, main) ->
                assertEquals(bsn + ": Warden-Build-Settings (set only in cnf/ext/common.bnd)",
                        "cnf", main.getValue("Warden-Build-Settings")));
    }

    @Test
    public void apiExportsOnlyVersionedApiPackages() {
        List<Clause> exports = Clause.parse(bundles.get("org.warden.api").getValue("Export-Package"));
        assertFalse("the API exports its packages", exports.isEmpty());
        for (Clause export : exports) {
            assertTrue("an API export outside org.warden.api: " + export.name,
                    export.name.equals("org.warden.api") || export.name.startsWith("org.warden.api."));
            String version = export.attributes.get("version");
            assertNotNull(export.name + " is exported without a version", version);
            assertTrue(export.name + " has version " + version + ", not a semantic major.minor.micro",
                    version.matches("\\d+\\.\\d+\\.\\d+"));
        }
    }

    @Test
    public void engineAndPoliciesExportNothing() {
        bundles.forEach((bsn, main) -> {
            if (!bsn.equals("org.warden.api")) {
                assertEquals(bsn + " must export nothing", null, main.getValue("Export-Package"));
            }
        });
    }

    @Test
    public void policiesImportOnlyTheApiAndOsgi() {
        List<String> policies = bundles.keySet().stream().filter(b -> b.startsWith("org.warden.policy.")).toList();
        assertTrue(policies.size() >= 2);
        for (String policy : policies) {
            Attributes main = bundles.get(policy);
            for (Clause imported : Clause.parse(main.getValue("Import-Package"))) {
                String p = imported.name;
                // org.slf4j: the logging API every Warden bundle uses, exported by Pax Logging, which Karaf starts
                // long before any feature, so importing it never refreshes the engine.
                assertTrue(policy + " imports " + p
                                + ": a policy may import only org.warden.api*, org.osgi.*, org.slf4j and java.*",
                        p.equals("org.warden.api") || p.startsWith("org.warden.api.")
                                || p.startsWith("org.osgi.") || p.equals("org.slf4j") || p.startsWith("java."));
            }
            assertEquals(policy + " must not import dynamically", null, main.getValue("DynamicImport-Package"));
            assertEquals(policy + " must not require bundles", null, main.getValue("Require-Bundle"));
        }
    }

    /** One clause of an OSGi header: a name and its attributes (directives are kept with a trailing ':'). */
    private record Clause(String name, Map<String, String> attributes) {

        static List<Clause> parse(String header) {
            List<Clause> clauses = new ArrayList<>();
            if (header == null || header.isBlank()) {
                return clauses;
            }
            for (String clause : split(header, ',')) {
                List<String> parts = split(clause, ';');
                Map<String, String> attributes = new TreeMap<>();
                List<String> names = new ArrayList<>();
                for (String part : parts) {
                    int eq = part.indexOf('=');
                    if (eq < 0) {
                        names.add(part.trim());
                    } else {
                        String value = part.substring(eq + 1).trim();
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                        attributes.put(part.substring(0, eq).trim(), value);
                    }
                }
                for (String name : names) {
                    clauses.add(new Clause(name, attributes));
                }
            }
            return clauses;
        }

        /** Splits on {@code separator} outside double quotes. */
        private static List<String> split(String text, char separator) {
            List<String> parts = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (char c : text.toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                }
                if (c == separator && !quoted) {
                    parts.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            parts.add(current.toString());
            return parts;
        }
    }
}
