package org.warden.engine.shell;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * Reads a {@link Snapshot} from JSON as a stream: the root object token by token, each worker bound on its own as it
 * comes, with at most {@code limit} bytes read whatever the file's size claims (and Jackson's own limits on one
 * string, one number and nesting set far below it). So a huge or hostile file costs at most the limit, never the
 * whole file in memory, and is refused as soon as it is seen to be bad.
 *
 * <p>Read strictly: {@code format} (this version only) before {@code workers}, every field present (optional ones as
 * {@code null}), no unknown or repeated field, no number silently truncated, nothing after the object. Whatever is
 * wrong becomes one {@link IllegalArgumentException} whose message names the file or the field, e.g.
 * {@code workers[3].jobsCompleted must not be negative, was -1} (the record constructors' own messages, prefixed with
 * where the value sits in the file), with anything quoted from the file made {@link Printable printable}.
 */
public final class SnapshotReader {

    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']*)'");
    /** Longer than any id or reason (1,024 characters) with room to spare; far below Jackson's default. */
    static final int MAX_STRING_LENGTH = 16_384;
    /** Earnings below 2^128 have 39 digits; a double's text fewer. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** A snapshot nests five deep (root, workers, worker, bans, ban). */
    static final int MAX_NESTING_DEPTH = 16;

    private final String name;
    private final long limit;

    /**
     * @param name  what the messages call the input (the file's name)
     * @param limit the most bytes read; more is refused
     */
    SnapshotReader(String name, long limit) {
        this.name = name;
        this.limit = limit;
    }

    /** The snapshot in {@code json} (a test's and a string's way in; the same rules, no size limit). */
    public static Snapshot parse(String name, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new SnapshotReader(name, Long.MAX_VALUE).read(new ByteArrayInputStream(bytes));
    }

    /** Reads the snapshot in {@code in}, and closes it. */
    Snapshot read(InputStream in) {
        ObjectMapper mapper = mapper();
        try (InputStream limited = new LimitedInputStream(in, limit);
                JsonParser p = mapper.getFactory().createParser(limited)) {
            return readRoot(p, mapper.reader());
        } catch (LimitedInputStream.LimitExceeded e) {
            throw tooLarge(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Printable.escaped(e.getMessage()), e);
        } catch (JsonMappingException e) {
            LimitedInputStream.LimitExceeded exceeded = cause(e, LimitedInputStream.LimitExceeded.class);
            if (exceeded != null) {
                throw tooLarge(exceeded);
            }
            StreamConstraintsException constraint = cause(e, StreamConstraintsException.class);
            if (constraint != null) {
                throw new IllegalArgumentException(Printable.escaped(notAnExport(constraint)), e);
            }
            throw new IllegalArgumentException(Printable.escaped(describe(e)), e);
        } catch (StreamReadException | StreamConstraintsException e) {
            throw new IllegalArgumentException(Printable.escaped(notAnExport(e)), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read: " + Printable.escaped(e.getMessage()), e);
        }
    }

    private IllegalArgumentException tooLarge(LimitedInputStream.LimitExceeded e) {
        return new IllegalArgumentException(name + ": larger than the import limit of " + limit
                + " bytes (maxImportMegabytes in " + SnapshotFiles.PID + "); nothing imported", e);
    }

    private Snapshot readRoot(JsonParser p, ObjectReader reader) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw notAnExport(first == null ? "the file is empty" : "expected a JSON object");
        }
        String format = null;
        Instant exportedAt = null;
        List<WorkerSnapshot> workers = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "format" -> {
                    format = value.isScalarValue() ? p.getText() : value.asString();
                    if (!String.valueOf(Snapshot.FORMAT).equals(format)) {
                        throw new IllegalArgumentException("format must be " + Snapshot.FORMAT + ", was "
                                + Printable.of(format));
                    }
                }
                case "exportedAt" -> {
                    try {
                        exportedAt = reader.forType(Instant.class).readValue(p);
                    } catch (JsonMappingException e) {
                        e.prependPath(Snapshot.class, "exportedAt");
                        throw e;
                    }
                }
                case "workers" -> {
                    if (format == null) {
                        throw notAnExport("format must come before workers");
                    }
                    workers = readWorkers(p, reader.forType(WorkerSnapshot.class));
                }
                default -> throw notAnExport("unknown field '" + Printable.of(field) + "'");
            }
        }
        if (p.nextToken() != null) {
            throw notAnExport("more than one JSON value, the second at line " + p.currentTokenLocation().getLineNr()
                    + ", column " + p.currentTokenLocation().getColumnNr());
        }
        if (format == null) {
            throw notAnExport("no format field");
        }
        if (workers == null) {
            throw notAnExport("workers is missing");
        }
        if (exportedAt == null) {
            throw notAnExport("exportedAt is missing");
        }
        return new Snapshot(Snapshot.FORMAT, exportedAt, workers);
    }

    /** The array of workers, each bound alone: a bad one is refused before the rest is read. */
    private static List<WorkerSnapshot> readWorkers(JsonParser p, ObjectReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("workers must be an array");
        }
        List<WorkerSnapshot> workers = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                throw new IllegalArgumentException("workers[" + i + "] must not be null");
            }
            try {
                workers.add(reader.readValue(p));
            } catch (JsonMappingException e) {
                e.prependPath(workers, i);
                e.prependPath(Snapshot.class, "workers");
                throw e;
            }
        }
        return workers;
    }

    /** Strict binding, and Jackson's limits on one value set far below the size limit. */
    private static ObjectMapper mapper() {
        ObjectMapper mapper = Json.mapper()
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // a repeated field would otherwise quietly win over the first
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .build());
        return mapper;
    }

    private IllegalArgumentException notAnExport(String why) {
        return new IllegalArgumentException(name + ": not a Warden export: " + why);
    }

    private String notAnExport(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return name + ": not a Warden export: " + firstLine(e.getOriginalMessage());
        }
        String why = firstLine(e.getOriginalMessage());
        int source = why.indexOf("[Source:");
        if (source >= 0) {
            // Jackson's "(for Array starting at [Source: ...; line: 1, column: 26])": the start of what was left open
            int open = why.lastIndexOf(" (", source);
            why = why.substring(0, open >= 0 ? open : source).trim();
        }
        if (e instanceof StreamReadException read && read.getProcessor() != null && e.getLocation() != null) {
            why = "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ": " + why;
        }
        return name + ": not a Warden export: " + why;
    }

    /** What is wrong, and where in the file: {@code workers[3].jobsCompleted must not be negative, was -1}. */
    private String describe(JsonMappingException e) {
        String path = path(e.getPath());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException bad) {
                return path.isEmpty() ? bad.getMessage() : path + "." + bad.getMessage();
            }
        }
        if (e instanceof UnrecognizedPropertyException) {
            return path + ": unknown field";
        }
        String message = firstLine(e.getOriginalMessage());
        Matcher missing = MISSING.matcher(message);
        if (missing.find()) {
            String field = missing.group(1);
            return (path.equals(field) || path.endsWith("." + field) ? path
                    : path.isEmpty() ? field : path + "." + field) + " is missing";
        }
        if (e instanceof InvalidNullException || message.startsWith("Cannot map `null`")) {
            return path + " must not be null";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !path.isEmpty()) {
            return path + " must be " + expected(mismatch.getTargetType());
        }
        if (path.isEmpty()) {
            return name + ": not a Warden export: " + message;
        }
        return path + ": " + message;
    }

    /** What a value of {@code type} looks like in the file. */
    private static String expected(Class<?> type) {
        if (type == long.class || type == int.class || type == Long.class || type == Integer.class
                || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2026-01-01T00:00:00Z";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(Printable.of(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
