package org.warden.engine.shell;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.warden.api.snapshot.Snapshot;

/**
 * The JSON file of a {@link Snapshot}: written with the shell's mapper ({@link Json}), read strictly. Every field
 * must be present (optional ones as {@code null}), no unknown field, no number silently truncated. Whatever is
 * wrong with a file becomes one {@link IllegalArgumentException} whose message names the file or the field, e.g.
 * {@code workers[3].jobsCompleted must not be negative, was -1}: the record constructors' own messages, prefixed
 * with where the value sits in the file.
 */
public final class SnapshotJson {

    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']*)'");

    /** The fields of a {@link Snapshot}. */
    private static final Set<String> ROOT_FIELDS = Set.of("format", "exportedAt", "workers");

    private SnapshotJson() {
    }

    /** A file name as typed in the shell (relative to Karaf's working directory, as Karaf's file completer). */
    static Path path(String name) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(name + ": not a file name (" + e.getReason() + ")");
        }
    }

    /** The snapshot as (indented) JSON text. */
    public static String toJson(Snapshot snapshot) {
        try {
            return Json.mapper().writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a snapshot as JSON", e);
        }
    }

    /**
     * Writes the snapshot to {@code file}, replacing it: through a temporary file beside it, moved into place, so a
     * failed export never leaves half a file behind.
     */
    public static void write(Snapshot snapshot, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(file + ": no such directory " + parent);
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a directory");
        }
        Path temporary;
        try {
            temporary = Files.createTempFile(parent, ".warden-export-", ".json.tmp");
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                Json.mapper().writeValue(out, snapshot);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw cannotWrite(file, e);
        }
    }

    private static IllegalArgumentException cannotWrite(Path file, IOException e) {
        return new IllegalArgumentException(e instanceof AccessDeniedException
                ? file + ": permission denied" : file + ": cannot write: " + e.getMessage(), e);
    }

    /** Opens the input anew: the file is read twice (its format first, then the snapshot). */
    private interface Source {
        InputStream open() throws IOException;
    }

    /** The snapshot in {@code file}; an {@link IllegalArgumentException} naming the problem if it is not a valid one. */
    public static Snapshot read(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a directory");
        }
        return read(file.toString(), () -> Files.newInputStream(file));
    }

    /** The snapshot in {@code json}, read as {@link #read(Path)} reads a file; {@code name} stands for the file. */
    public static Snapshot parse(String name, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return read(name, () -> new ByteArrayInputStream(bytes));
    }

    private static Snapshot read(String name, Source source) {
        try {
            checkFormat(name, source);
            try (InputStream in = source.open()) {
                return reader().readValue(in);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(name + ": permission denied", e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(describe(name, e), e);
        } catch (StreamReadException e) {
            throw new IllegalArgumentException(notAnExport(name, e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ObjectReader reader() {
        ObjectMapper mapper = Json.mapper()
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        return mapper.readerFor(Snapshot.class);
    }

    /**
     * A first, streaming pass: the file is one JSON object with a {@code format} of this version. Checked before
     * anything else, so a file of another format is refused for its format, not for a field it does not know.
     */
    private static void checkFormat(String file, Source source) throws IOException {
        try (InputStream in = source.open(); JsonParser p = Json.mapper().getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(file + ": not a Warden export: "
                        + (first == null ? "the file is empty" : "expected a JSON object"));
            }
            String format = null;
            String unknown = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("format".equals(name) && format == null) {
                    format = value.isScalarValue() ? p.getText() : value.asString();
                } else {
                    p.skipChildren();
                }
                if (unknown == null && !ROOT_FIELDS.contains(name)) {
                    unknown = name;
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(file + ": not a Warden export: more than one JSON value, the second at "
                        + where(p));
            }
            if (format == null) {
                throw new IllegalArgumentException(file + ": not a Warden export: no format field");
            }
            if (!String.valueOf(Snapshot.FORMAT).equals(format)) {
                throw new IllegalArgumentException("format must be " + Snapshot.FORMAT + ", was " + format);
            }
            if (unknown != null) {
                throw new IllegalArgumentException(file + ": not a Warden export: unknown field '" + unknown + "'");
            }
        }
    }

    private static String notAnExport(String file, StreamReadException e) {
        String why = firstLine(e.getOriginalMessage());
        int source = why.indexOf("[Source:");
        if (source >= 0) {
            // Jackson's "(for Array starting at [Source: ...; line: 1, column: 26])": the start of what was left open
            int open = why.lastIndexOf(" (", source);
            why = why.substring(0, open >= 0 ? open : source).trim();
        }
        if (e.getProcessor() != null && e.getLocation() != null) {
            why = "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ": " + why;
        }
        return file + ": not a Warden export: " + why;
    }

    private static String where(JsonParser p) {
        return "line " + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr();
    }

    /** What is wrong, and where in the file: {@code workers[3].jobsCompleted must not be negative, was -1}. */
    static String describe(String file, JsonMappingException e) {
        String path = path(e.getPath());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException bad) {
                return path.isEmpty() ? bad.getMessage() : path + "." + bad.getMessage();
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknown.getPath().size() == 1
                    ? file + ": not a Warden export: unknown field '" + unknown.getPropertyName() + "'"
                    : path + ": unknown field";
        }
        String message = firstLine(e.getOriginalMessage());
        Matcher missing = MISSING.matcher(message);
        if (missing.find()) {
            String name = missing.group(1);
            String field = path.equals(name) || path.endsWith("." + name) ? path
                    : path.isEmpty() ? name : path + "." + name;
            return field.equals(name) ? file + ": not a Warden export: " + name + " is missing" : field + " is missing";
        }
        if (e instanceof InvalidNullException || message.startsWith("Cannot map `null`")) {
            return path + " must not be null";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && !path.isEmpty()) {
            return path + " must be " + expected(mismatch.getTargetType());
        }
        if (path.isEmpty()) {
            return file + ": not a Warden export: " + message;
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
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
