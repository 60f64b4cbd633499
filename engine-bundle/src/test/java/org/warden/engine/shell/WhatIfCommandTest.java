package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfReport.Auctions;
import org.warden.api.whatif.WhatIfReport.BanDifference;
import org.warden.api.whatif.WhatIfReport.Distribution;
import org.warden.api.whatif.WhatIfReport.EligibilityChange;
import org.warden.api.whatif.WhatIfReport.ReputationMove;
import org.warden.api.whatif.WhatIfRequest;
import org.warden.api.whatif.WhatIfService;
import org.warden.engine.component.EmbeddedFramework;
import org.warden.engine.policy.FallbackPolicy;

/**
 * {@code warden:whatif} against a fake {@link WhatIfService}, with the policies {@code default} and {@code strict}
 * registered in a real framework (the command checks the name against them): the report as tables and as JSON, the
 * request built from {@code --since} and {@code --config} (and bad ones refused with one {@code Error:} line before
 * the service is asked), the service's refusals, Ctrl-C, and the progress line on a terminal.
 */
@Timeout(60)
class WhatIfCommandTest {

    private static final Instant FROM = Instant.parse("2026-12-06T04:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-06T05:00:00Z");
    private static final String NL = System.lineSeparator();

    private static EmbeddedFramework osgi;

    /** Every request the fake service was given. */
    private final List<WhatIfRequest> asked = new ArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    /** The session's console writes to the command's output (System.out as it is then): one terminal for both. */
    private boolean consoleIsTheOutput;

    @BeforeAll
    static void start() throws Exception {
        osgi = EmbeddedFramework.start();
        osgi.registerPolicy("default", 0, new FallbackPolicy());
        osgi.registerPolicy("strict", 0, new FallbackPolicy());
    }

    @AfterAll
    static void stop() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    static WhatIfReport report(Map<String, String> overrides) {
        return new WhatIfReport("strict", overrides, "default", FROM, TO, true, 452_113, 200,
                List.of(new BanDifference("honest-17", Instant.parse("2026-12-06T04:12:30Z"),
                        "ten failures in a row", true),
                        new BanDifference("malicious-2", Instant.parse("2026-12-06T04:20:00Z"),
                                "success rate 0.41 below 0.60", true)),
                List.of(new BanDifference("flaky-3", Instant.parse("2026-12-06T04:30:00Z"),
                        "repeated malicious behaviour: 3 reports", true)),
                List.of(new EligibilityChange("honest-17", true, "eligible", false, "banned: ten failures in a row")),
                new Distribution(200, -0.0125, -0.42, -0.05, 0.0, 0.01, 0.08),
                List.of(new ReputationMove("malicious-2", 0.612, 0.192), new ReputationMove("honest-17", 0.881, 0.5)),
                new Auctions(5000, 812, 3, 0), 2, 0);
    }

    // ---------------------------------------------------------------- output

    @Test
    void thePolicyInForceWithOverridesIsToldApartFromItself() throws Exception {
        ShellRun.Output output = run(command("default", "--config", "minReputationThreshold=0.25"),
                (request, progress) -> new WhatIfReport("default", request.overrides(), "default", FROM, TO, true, 10,
                        2, List.of(), List.of(), List.of(), new Distribution(2, 0, 0, 0, 0, 0, 0), List.of(),
                        new Auctions(0, 0, 0, 0), 0, 0), false);

        assertThat(output.refusal()).isNull();
        assertThat(output.out().lines().toList()).contains(
                "What-if default (with minReputationThreshold=0.25) against default (the policy in force)",
                "Bans added (default (overridden) bans, default does not): none");
    }

    @Test
    void theReportAsTablesWithTheDefaultWindowOfAnHour() throws Exception {
        ShellRun.Output output = run(command("strict"), (request, progress) -> report(request.overrides()), true);

        assertThat(output.refusal()).isNull();
        assertThat(output.err()).isEmpty();
        assertThat(asked).containsExactly(new WhatIfRequest("strict", Duration.ofHours(1), Map.of()));
        List<String> lines = output.out().lines().toList();
        assertThat(lines.subList(0, 4)).containsExactly(
                "What-if strict against default (the policy in force)",
                "Window: 2026-12-06T04:00:00Z to 2026-12-06T05:00:00Z (history complete)",
                "Replayed: 452113 entries, 200 workers",
                "Baseline: the replay under default reproduces the live engine");
        assertThat(lines).contains("Bans added (strict bans, default does not): 2",
                "Bans removed (default bans, strict does not): 1",
                "Eligibility changes (at the end): 1",
                "Largest reputation movers: 2",
                "Reputation shift (strict minus default) over 200 workers: mean -0.013, min -0.420, p10 -0.050, "
                        + "median +0.000, p90 +0.010, max +0.080",
                "Auctions: 5000 recorded; top choice differs in 812 (16.2 %); no eligible bidder: 3 under strict, "
                        + "0 recorded",
                "Pending bans: 2 (automatic bans strict's ban budget holds back for an operator at the end)");
        assertThat(cells(lines, "honest-17", "2026-12-06T04:12:30Z"))
                .containsExactly("honest-17", "2026-12-06T04:12:30Z", "ten failures in a row", "yes");
        assertThat(cells(lines, "malicious-2", "2026-12-06T04:20:00Z"))
                .containsExactly("malicious-2", "2026-12-06T04:20:00Z", "success rate 0.41 below 0.60", "yes");
        assertThat(cells(lines, "flaky-3", "")).containsExactly("flaky-3", "2026-12-06T04:30:00Z",
                "repeated malicious behaviour: 3 reports", "yes");
        assertThat(cells(lines, "honest-17", "eligible")).containsExactly("honest-17", "eligible", "eligible",
                "not eligible", "banned: ten failures in a row");
        assertThat(cells(lines, "malicious-2", "0.612")).containsExactly("malicious-2", "0.612", "0.192", "-0.420");
        assertThat(cells(lines, "honest-17", "0.881")).containsExactly("honest-17", "0.881", "0.500", "-0.381");
        // the movers' table keeps the report's order (largest first)
        assertThat(rowIndex(lines, "malicious-2", "0.612")).isLessThan(rowIndex(lines, "honest-17", "0.881"));
    }

    @Test
    void emptySectionsSayNoneAndAnIncompleteOrUnfaithfulReplayIsSaid() throws Exception {
        WhatIfReport empty = new WhatIfReport("strict", Map.of("acceptableSuccessRate", "0.7"), "default", FROM, TO,
                false, 0, 0, List.of(), List.of(), List.of(), new Distribution(0, 0, 0, 0, 0, 0, 0), List.of(),
                new Auctions(0, 0, 0, 0), 0, 3);
        ShellRun.Output output = run(command("strict", "--config", "acceptableSuccessRate=0.7"), (r, p) -> empty,
                false);

        assertThat(output.out().lines().toList()).containsExactly(
                "What-if strict (with acceptableSuccessRate=0.7) against default (the policy in force)",
                "Window: 2026-12-06T04:00:00Z to 2026-12-06T05:00:00Z (history not complete: workers' past before "
                        + "the window is not replayed)",
                "Replayed: 0 entries, 0 workers",
                "Baseline: 3 workers replayed under default differ from the live engine: the comparison is approximate",
                "",
                "Bans added (strict bans, default does not): none",
                "",
                "Bans removed (default bans, strict does not): none",
                "",
                "Eligibility changes (at the end): none",
                "",
                "Largest reputation movers: none",
                "",
                "Reputation shift (strict minus default): no worker",
                "Auctions: none recorded in the window",
                "Pending bans: 0 (automatic bans strict's ban budget holds back for an operator at the end)");
    }

    @Test
    void jsonIsTheReportAndNothingElse() throws Exception {
        ShellRun.Output output = run(command("strict", "--json", "--since", "7d", "-c", "banAfterFailures=3"),
                (request, progress) -> {
                    progress.replayed(10, 100); // no progress line with --json, even on a terminal
                    return report(request.overrides());
                }, true);

        assertThat(output.refusal()).isNull();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(asked).containsExactly(new WhatIfRequest("strict", Duration.ofDays(7),
                Map.of("banAfterFailures", "3")));
        WhatIfReport parsed = Json.mapper().readValue(output.out(), WhatIfReport.class);
        assertThat(parsed).isEqualTo(report(Map.of("banAfterFailures", "3")));
        assertThat(Json.mapper().readTree(output.out()).get("bansAdded").get(0).get("at").asText())
                .isEqualTo("2026-12-06T04:12:30Z");
    }

    // ---------------------------------------------------------------- --since

    @ParameterizedTest
    @CsvSource({ "30m, PT30M", "1h, PT1H", "7d, P7D", "PT1H, PT1H", "PT90M, PT1H30M", "366d, P366D", "45S, PT45S" })
    void sinceIsADuration(String since, String expected) throws Exception {
        ShellRun.Output output = run(command("strict", "--since", since), (r, p) -> report(Map.of()), false);
        assertThat(output.refusal()).isNull();
        assertThat(asked).extracting(WhatIfRequest::since).containsExactly(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|since must be like 30m, 2h, 7d or ISO-8601 (PT1H), was 0",
            "0m|since must be positive, was 0m",
            "-1h|since must be like 30m, 2h, 7d or ISO-8601 (PT1H), was -1h",
            "-PT1H|since must be positive, was -PT1H",
            "garbage|since must be like 30m, 2h, 7d or ISO-8601 (PT1H), was garbage",
            "367d|since must be at most 366d, was 367d",
            "P367D|since must be at most 366d, was P367D",
            "99999999999999999999d|since must be at most 366d, was 99999999999999999999d",
            "1h\u001B[2J|since must be like 30m, 2h, 7d or ISO-8601 (PT1H), was 1h\\u001B[2J" })
    void aBadSinceIsOneErrorLineAndNoReplay(String since, String error) throws Exception {
        ShellRun.Output output = run(command("strict", "--since", since), (r, p) -> report(Map.of()), false);
        assertThat(output.refusal()).isEqualTo("Error: " + error + NL);
        assertThat(output.out()).isEmpty();
        assertThat(asked).isEmpty();
    }

    // ---------------------------------------------------------------- --config

    @Test
    void configOptionsAreTheOverridesSplitAtTheFirstEquals() throws Exception {
        ShellRun.Output output = run(command("strict", "-c", "acceptableSuccessRate=0.7", "--config",
                " banDurationHours = 2 ", "-c", "note=a=b"), (r, p) -> report(r.overrides()), false);
        assertThat(output.refusal()).isNull();
        assertThat(asked).extracting(WhatIfRequest::overrides).containsExactly(
                Map.of("acceptableSuccessRate", "0.7", "banDurationHours", "2", "note", "a=b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "novalue|--config must be key=value, was 'novalue'",
            "=0.7|--config must be key=value, was '=0.7'",
            "key=|--config must be key=value, was 'key='",
            "' =1'|--config must be key=value, was ' =1'",
            "two words=1|overrides: a key is 1 to 128 of A-Z a-z 0-9 . _ -, was 'two words'",
            "k\u001B[2J=1|overrides: a key is 1 to 128 of A-Z a-z 0-9 . _ -, was 'k\\u001B[2J'" })
    void aMalformedConfigIsOneErrorLineAndNoReplay(String config, String error) throws Exception {
        ShellRun.Output output = run(command("strict", "--config", config), (r, p) -> report(Map.of()), false);
        assertThat(output.refusal()).isEqualTo("Error: " + error + NL);
        assertThat(output.out()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aKeyGivenTwiceIsRefused() throws Exception {
        ShellRun.Output output = run(command("strict", "-c", "a=1", "-c", "a=2"), (r, p) -> report(Map.of()), false);
        assertThat(output.refusal()).isEqualTo("Error: --config gives a twice" + NL);
        assertThat(asked).isEmpty();
    }

    // ---------------------------------------------------------------- options after the policy

    @Test
    void optionsMayFollowThePolicyAsTheIssueWritesThem() throws Exception {
        WhatIfCommand command = command("strict", "-c", "a=1");
        command.trailing = List.of("--since", "7d", "--config", "b=2", "-c=c=3", "--json");
        ShellRun.Output output = run(command, (r, p) -> report(r.overrides()), false);
        assertThat(output.refusal()).isNull();
        assertThat(asked).containsExactly(new WhatIfRequest("strict", Duration.ofDays(7),
                Map.of("a", "1", "b", "2", "c", "3")));
        assertThat(Json.mapper().readValue(output.out(), WhatIfReport.class).overrides()).hasSize(3);

        asked.clear();
        command = command("strict");
        command.trailing = List.of("--since=30m");
        assertThat(run(command, (r, p) -> report(r.overrides()), false).refusal()).isNull();
        assertThat(asked).extracting(WhatIfRequest::since).containsExactly(Duration.ofMinutes(30));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus|after the policy only --since, --config and --json may follow, was '--bogus'",
            "default|after the policy only --since, --config and --json may follow, was 'default'",
            "--since|--since needs a value",
            "--json=yes|--json takes no value, was '--json=yes'",
            "-s 2h|--since given twice" })
    void badOptionsAfterThePolicyAreRefused(String trailing, String error) throws Exception {
        WhatIfCommand command = command("strict", "--since", "1h");
        command.trailing = List.of(trailing.split(" "));
        ShellRun.Output output = run(command, (r, p) -> report(Map.of()), false);
        assertThat(output.refusal()).isEqualTo("Error: " + error + NL);
        assertThat(asked).isEmpty();
    }

    // ---------------------------------------------------------------- refusals and cancellation

    @Test
    void anUnknownPolicyIsRefusedWithTheInstalledOnes() throws Exception {
        ShellRun.Output output = run(command("lenient"), (r, p) -> report(Map.of()), false);
        assertThat(output.refusal()).isEqualTo("Error: unknown policy 'lenient'; installed: default, strict" + NL);
        assertThat(output.out()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "state", "argument" })
    void theServicesRefusalIsOneErrorLineEscaped(String kind) throws Exception {
        String message = "the history is retained since 2026-12-06T04:30:00Z only\u001B[31m";
        ShellRun.Output output = run(command("strict", "--since", "1h"), (r, p) -> {
            p.replayed(5, 10);
            throw kind.equals("state") ? new IllegalStateException(message) : new IllegalArgumentException(message);
        }, true);
        assertThat(output.refusal()).isEqualTo("Error: the history is retained since 2026-12-06T04:30:00Z only"
                + "\\u001B[31m" + NL);
        assertThat(output.out()).isEmpty();
        assertThat(output.err()).isEmpty();
        assertThat(console.toString(StandardCharsets.UTF_8)).as("the progress line wiped")
                .isEqualTo("\rreplayed 5 of 10 entries (50 %)\u001B[K\r\u001B[K");
    }

    @Test
    void withoutTheServiceTheCommandSaysSo() throws Exception {
        WhatIfCommand command = command("strict");
        ShellRun.inject(command, "bundleContext", osgi.context());
        ShellRun.inject(command, "session", session(true));
        ShellRun.Output output = ShellRun.run(command);
        assertThat(output.refusal()).isEqualTo("Error: " + WhatIfCommand.UNAVAILABLE + NL);
        assertThat(output.out()).isEmpty();
    }

    @Test
    void ctrlCCancelsWithAMessageAndNoError() throws Exception {
        ShellRun.Output output = run(command("strict", "--since", "7d"), (r, p) -> {
            p.replayed(120_000, 450_000);
            throw new CancellationException("interrupted");
        }, true);
        assertThat(output.refusal()).isNull();
        assertThat(output.err()).isEmpty();
        assertThat(output.out()).isEqualTo("what-if cancelled" + NL);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .isEqualTo("\rreplayed 120000 of 450000 entries (26 %)\u001B[K\r\u001B[K");
    }

    // ---------------------------------------------------------------- progress

    @Test
    void progressIsRedrawnOnTheConsoleWhenThePercentageMovesAndWipedBeforeTheReport() throws Exception {
        ShellRun.Output output = run(command("strict"), (r, p) -> {
            p.replayed(0, -1);
            p.replayed(0, 450_000);
            p.replayed(120_000, 450_000);
            p.replayed(121_000, 450_000); // still 26 %: not redrawn
            p.replayed(450_000, 450_000);
            return report(Map.of());
        }, true);
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo(
                "\rreplayed 0 entries\u001B[K"
                        + "\rreplayed 0 of 450000 entries (0 %)\u001B[K"
                        + "\rreplayed 120000 of 450000 entries (26 %)\u001B[K"
                        + "\rreplayed 450000 of 450000 entries (100 %)\u001B[K"
                        + "\r\u001B[K");
        assertThat(output.out()).as("the report, no progress").startsWith("What-if strict against default")
                .doesNotContain("replayed 0");
    }

    @Test
    void onOneTerminalTheLineIsWipedBeforeTheReportOrTheCancelledMessage() throws Exception {
        consoleIsTheOutput = true;
        ShellRun.Output cancelled = run(command("strict"), (r, p) -> {
            p.replayed(120_000, 450_000);
            throw new CancellationException("interrupted");
        }, true);
        assertThat(cancelled.out()).isEqualTo("\rreplayed 120000 of 450000 entries (26 %)\u001B[K\r\u001B[K"
                + "what-if cancelled" + NL);

        ShellRun.Output reported = run(command("strict"), (r, p) -> {
            p.replayed(1, 2);
            return report(Map.of());
        }, false);
        String line = "replayed 1 of 2 entries (50 %)";
        assertThat(reported.out()).startsWith("\r" + line + "\r" + " ".repeat(line.length()) + "\r"
                + "What-if strict against default (the policy in force)" + NL);
    }

    @Test
    void withoutATerminalThereIsNoProgressLine() throws Exception {
        WhatIfCommand command = command("strict");
        ShellRun.Output output = run(command, (r, p) -> {
            p.replayed(1, 2);
            return report(Map.of());
        }, null);
        assertThat(output.refusal()).isNull();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutAnsiBlanksCoverALongerLineBefore() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.replayed(12_345, -1);
        line.replayed(1, 1_000);
        line.clear();
        line.clear(); // nothing shown any more: nothing written
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "\rreplayed 12345 entries"
                        + "\rreplayed 1 of 1000 entries (0 %)"
                        + "\r" + " ".repeat("replayed 1 of 1000 entries (0 %)".length()) + "\r");
    }

    // ---------------------------------------------------------------- helpers

    /** The command as Karaf's parser leaves it for {@code warden:whatif <args>} (options before the policy). */
    private static WhatIfCommand command(String policy, String... options) {
        WhatIfCommand command = new WhatIfCommand();
        command.policy = policy;
        List<String> config = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            switch (options[i]) {
                case "--json" -> command.json = true;
                case "--since", "-s" -> command.since = options[++i];
                case "--config", "-c" -> config.add(options[++i]);
                default -> throw new IllegalArgumentException(options[i]);
            }
        }
        command.config = config.isEmpty() ? null : config;
        return command;
    }

    /**
     * Runs {@code command} with the fake service answering {@code answer} (each request kept in {@link #asked}), on
     * a session with an ANSI terminal ({@code ansi} true), a plain one (false), or none (null: ssh, a script).
     */
    private ShellRun.Output run(WhatIfCommand command, BiFunction<WhatIfRequest, WhatIfProgress, WhatIfReport> answer,
            Boolean ansi) throws Exception {
        WhatIfService service = (request, progress) -> {
            asked.add(request);
            return answer.apply(request, progress);
        };
        ShellRun.inject(command, "whatIf", service);
        ShellRun.inject(command, "bundleContext", osgi.context());
        ShellRun.inject(command, "session", session(ansi));
        return ShellRun.run(command);
    }

    /** A session whose console is {@link #console}, with a terminal unless {@code ansi} is null. */
    private Session session(Boolean ansi) {
        PrintStream consoleStream = !consoleIsTheOutput ? new PrintStream(console, true, StandardCharsets.UTF_8)
                : new PrintStream(new OutputStream() {
                    @Override
                    public void write(int b) {
                        System.out.write(b);
                    }
                }, true, StandardCharsets.UTF_8);
        Terminal terminal = ansi == null ? null : (Terminal) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { Terminal.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "isAnsiSupported" -> ansi;
                    case "getWidth" -> 120;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Session.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getTerminal" -> terminal;
                    case "getConsole" -> consoleStream;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The cells of the first table row whose first cell is {@code first} and second starts with {@code second}. */
    private static List<String> cells(List<String> lines, String first, String second) {
        return cells(lines.get(rowIndex(lines, first, second)));
    }

    private static int rowIndex(List<String> lines, String first, String second) {
        for (int i = 0; i < lines.size(); i++) {
            List<String> c = cells(lines.get(i));
            if (c.size() > 1 && c.get(0).equals(first) && c.get(1).startsWith(second)) {
                return i;
            }
        }
        throw new AssertionError("no row " + first + " | " + second + " in " + String.join("\n", lines));
    }

    private static List<String> cells(String line) {
        // ShellTable draws "│" on a terminal that has it, "|" otherwise (as here)
        return line.matches(".*[│|].*") ? Arrays.stream(line.split("[│|]")).map(String::trim).toList() : List.of();
    }
}
