package org.warden.engine.shell;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.warden.api.Check;
import org.warden.api.PenaltyType;

/**
 * What every {@code warden:*} command shares: bad input (an {@link IllegalArgumentException} from the
 * command's own parsing or from a Warden service, whose message names the argument) makes the command fail with
 * Karaf's {@link CommandException} whose text is one line, {@code Error: <message>}, without a stack trace. So does a
 * refusal by the engine's state ({@link IllegalStateException}: e.g. a ban while the durable store is unavailable,
 * whose message says why). Karaf's console prints that line as it is (its {@code getNiceHelp()}) and logs the
 * exception at DEBUG only; over SSH ({@code bin/client}) the command's exit status is then 1, so a script sees the
 * refusal. Any other exception is left to the shell. Plus the formatting and parsing helpers.
 *
 * <p>Karaf creates an action per call: subclasses hold only their injected services and parsed arguments.
 */
public abstract class WardenCommandSupport implements Action {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");

    @Override
    public final Object execute() throws Exception {
        try {
            return doExecute();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw refusal(e);
        }
    }

    /**
     * The one failure of every refused command. Karaf's shell recognises a {@code CommandException} by its name and
     * prints its help text instead of "Error executing command: ..." in red: the help is the whole line.
     */
    static CommandException refusal(RuntimeException e) {
        return new CommandException("Error: " + e.getMessage(), e.getMessage(), e);
    }

    /** The command itself; throw {@link IllegalArgumentException} for bad input. */
    protected abstract Object doExecute() throws Exception;

    /** A score with three decimals, whatever the default locale. */
    static String score(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    /** The words of a multi-valued last argument, as one reason. */
    static String words(List<String> words) {
        return words == null ? null : String.join(" ", words);
    }

    /** A penalty type by name, in any case ({@code job_timeout}, {@code JOB_TIMEOUT}). */
    static PenaltyType penaltyType(String name) {
        if (name != null) {
            for (PenaltyType type : PenaltyType.values()) {
                if (type.name().equalsIgnoreCase(name)) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("type must be one of " + penaltyTypeNames() + ", was " + name);
    }

    /** The penalty type names as typed in the shell (lower case). */
    static String penaltyTypeNames() {
        return Arrays.stream(PenaltyType.values()).map(t -> t.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /**
     * A ban's duration: {@code 45s}, {@code 30m}, {@code 2h}, {@code 7d} or an ISO-8601 duration ({@code PT30M});
     * positive and at most {@link Check#MAX_BAN_DURATION} (100 years), so that its end is a time every store holds.
     * Numbers too large for any duration are refused the same way, naming the text as typed.
     */
    static Duration duration(String text) {
        return duration("duration", text, Check.MAX_BAN_DURATION, Check.MAX_BAN_DURATION.toDays()
                + "d (100 years; for good, give no --duration)", "PT30M");
    }

    /**
     * A duration option named {@code name}: {@code 45s}, {@code 30m}, {@code 2h}, {@code 7d} or ISO-8601
     * ({@code isoExample} shows one in the refusal); positive and at most {@code max}, which the refusal names as
     * {@code maxText}. Null when not given.
     */
    static Duration duration(String name, String text, Duration max, String maxText, String isoExample) {
        if (text == null) {
            return null;
        }
        String tooLong = name + " must be at most " + maxText + ", was " + Printable.of(text);
        Duration duration;
        Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                duration = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                duration = Duration.parse(text.trim());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // the pattern allows only digits: a number that fits no long, or no Duration, is just too long
            throw new IllegalArgumentException(tooLong, e);
        } catch (DateTimeParseException e) {
            if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                throw new IllegalArgumentException(tooLong, e); // e.g. PT9999999999999999999H
            }
            throw new IllegalArgumentException(name + " must be like 30m, 2h, 7d or ISO-8601 (" + isoExample
                    + "), was " + Printable.of(text), e);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + Printable.of(text));
        }
        if (duration.compareTo(max) > 0) {
            throw new IllegalArgumentException(tooLong);
        }
        return duration;
    }

    static String instant(Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    /** Prints {@code value} (API value types, or lists and maps of them) as indented JSON on {@code System.out}. */
    static void printJson(Object value) throws IOException {
        System.out.println(Json.mapper().writeValueAsString(value));
    }

    /** A number in [0, 1] given as an option or argument, parsed here so a bad one gets an {@code Error:} line. */
    static Double unitOption(String name, String text) {
        if (text == null) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number in [0, 1], was " + text);
        }
        if (!(value >= 0 && value <= 1)) { // NaN included
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + text);
        }
        return value;
    }

    /** A count given as an option, &ge; 0. */
    static Integer countOption(String name, String text) {
        if (text == null) {
            return null;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was " + text);
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + text);
        }
        return value;
    }
}
