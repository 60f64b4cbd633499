package org.warden.engine.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one directory {@code warden:export --file} writes to and {@code warden:import} reads from,
 * {@code ${karaf.data}/warden/exports}. A shell user names a file in it, never a path: so no command can write
 * {@code etc/} (Karaf's ACLs, users, configurations), {@code deploy/} or anything else the JVM may write.
 *
 * <p>A name is a plain file name: a letter or digit, then letters, digits, {@code .}, {@code _} or {@code -}, at most
 * {@value #MAX_NAME_LENGTH} characters. That leaves out absolute paths, {@code ..}, separators, hidden and temporary
 * files, and characters a terminal would interpret. Symbolic links are never followed: not as the directory, not as
 * its parent, not as the file. An existing file is replaced only when asked ({@code force}), and then atomically.
 */
public final class ExportDirectory {

    static final int MAX_NAME_LENGTH = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");
    private static final String TEMPORARY_PREFIX = ".warden-export-";

    private final Path directory;

    /** The directory {@code directory} (created on the first export); its parent must exist or be creatable. */
    public ExportDirectory(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** Karaf's: {@code ${karaf.data}/warden/exports}. */
    public static ExportDirectory ofKaraf() {
        String data = System.getProperty("karaf.data");
        if (data == null || data.isBlank()) {
            throw new IllegalStateException("karaf.data is not set: exports live in ${karaf.data}/warden/exports");
        }
        return new ExportDirectory(Path.of(data, "warden", "exports"));
    }

    /** The directory itself. */
    public Path path() {
        return directory;
    }

    /** Something that writes a whole file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes the file {@code name} in this directory: to a temporary file beside it, moved into place once complete, so
     * a failed export never leaves half a file behind and a reader never sees one.
     *
     * @param force replace the file if it exists; without it an existing file is refused and left as it is
     * @return the file written
     * @throws IllegalArgumentException for a name that is not a plain file name, a symbolic link, a directory, an
     *                                  existing file without {@code force}, or a write that failed
     */
    public Path write(String name, boolean force, Content content) {
        Path file = resolve(name);
        ensureDirectory();
        BasicFileAttributes existing = attributes(file);
        if (existing != null) {
            refuseLinkOrDirectory(name, existing);
            if (!force) {
                throw new IllegalArgumentException("file " + name + " already exists in " + directory
                        + ": use --force to replace it");
            }
        }
        Path temporary;
        try {
            // created new (O_EXCL): never an existing file or link
            temporary = Files.createTempFile(directory, TEMPORARY_PREFIX, ".tmp");
        } catch (IOException e) {
            throw cannotWrite(name, e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                content.writeTo(out);
            }
            move(temporary, file, force);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            if (e instanceof FileAlreadyExistsException) {
                throw new IllegalArgumentException("file " + name + " already exists in " + directory
                        + ": use --force to replace it", e);
            }
            if (e instanceof IOException io) {
                throw cannotWrite(name, io);
            }
            throw (RuntimeException) e;
        }
        return file;
    }

    /**
     * A rename, which replaces a symbolic link at {@code file} rather than writing through it. Without {@code force}
     * the move itself refuses an existing file (one made since the check above), so nothing is ever replaced unasked.
     */
    private static void move(Path temporary, Path file, boolean force) throws IOException {
        if (!force) {
            Files.move(temporary, file);
            return;
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Opens the file {@code name} of this directory for reading, without following a symbolic link.
     *
     * @throws IllegalArgumentException for a name that is not a plain file name, a missing file, a symbolic link or
     *                                  anything but a regular file
     */
    public Opened open(String name) {
        Path file = resolve(name);
        refuseLinkedDirectory();
        BasicFileAttributes attributes = attributes(file);
        if (attributes == null) {
            throw new IllegalArgumentException("no file " + name + " in " + directory);
        }
        refuseLinkOrDirectory(name, attributes);
        if (!attributes.isRegularFile()) {
            throw new IllegalArgumentException("file " + name + " in " + directory + " is not a regular file");
        }
        try {
            // NOFOLLOW_LINKS again at the open itself: a link put there since the check above is refused too
            InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS));
            return new Opened(file, attributes.size(), in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no file " + name + " in " + directory, e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("file " + name + " in " + directory + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("file " + name + " in " + directory + ": cannot read: "
                    + e.getMessage(), e);
        }
    }

    /** A file opened for reading: where it is, its size when opened, and its content. */
    public record Opened(Path file, long size, InputStream in) {
    }

    /** The names of the files in this directory that {@link #open} would read, sorted; none if it does not exist. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .map(f -> f.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches())
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** The file {@code name} in this directory, or an {@link IllegalArgumentException} if it is not a plain name. */
    Path resolve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("file must be a plain file name in " + directory + " (a letter or "
                    + "digit, then letters, digits, '.', '_' or '-', at most " + MAX_NAME_LENGTH
                    + " characters; no path), was " + Printable.of(name));
        }
        Path file = directory.resolve(name);
        if (!directory.equals(file.getParent())) {
            // cannot happen with the pattern above; kept so a later change of the pattern cannot open a way out
            throw new IllegalArgumentException("file " + Printable.of(name) + " is not in " + directory);
        }
        return file;
    }

    private void ensureDirectory() {
        refuseLinkedDirectory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        refuseLinkedDirectory();
    }

    /** The directory and its parent ({@code ${karaf.data}/warden}) must be real directories, not links elsewhere. */
    private void refuseLinkedDirectory() {
        for (Path p : new Path[] {directory, directory.getParent()}) {
            if (p != null && Files.isSymbolicLink(p)) {
                throw new IllegalArgumentException(p + " is a symbolic link: Warden does not follow it");
            }
        }
    }

    private void refuseLinkOrDirectory(String name, BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            throw new IllegalArgumentException("file " + name + " in " + directory
                    + " is a symbolic link: Warden does not follow it");
        }
        if (attributes.isDirectory()) {
            throw new IllegalArgumentException("file " + name + " in " + directory + " is a directory");
        }
    }

    /** The file's own attributes (a link's, not its target's), or {@code null} if there is none. */
    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private IllegalArgumentException cannotWrite(String name, IOException e) {
        return new IllegalArgumentException(e instanceof AccessDeniedException
                ? "cannot write " + name + " in " + directory + ": permission denied"
                : "cannot write " + name + " in " + directory + ": " + e.getMessage(), e);
    }
}
