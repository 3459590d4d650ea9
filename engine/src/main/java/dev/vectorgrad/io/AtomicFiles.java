package dev.vectorgrad.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * half-written file: the content goes to a temporary file in the same directory, is forced to the
 * disk, and then renamed over the target in one atomic step.
 *
 * <p>If writing fails in any way (an I/O error, a full disk, an exception thrown by the content
 * callback, an interrupted thread) the temporary file is deleted and an existing target is left
 * exactly as it was. Only a JVM killed in the middle can leave a temporary file behind; it is named
 * {@code .<target name>.<random>.tmp} and may be deleted.
 */
public final class AtomicFiles {

    /** Writes the whole content of a file to a stream. The stream must not be closed by the callback. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final int BUFFER_SIZE = 1 << 16;

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically with what {@code content} produces. A symbolic link as target
     * is followed, so the file it points to is replaced and the link stays a link. The permissions
     * of a file being replaced are kept.
     *
     * @throws IOException if the directory does not exist, the target is a directory, or writing
     *                     fails; the target is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Path file = resolveTarget(target);
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, cannot write a file in its place");
        }
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(file.toString(), null,
                    "the directory " + dir + " does not exist; create it first");
        }
        Path tmp = createTemp(dir, file.getFileName().toString());
        boolean moved = false;
        try {
            copyPermissions(file, tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new KeepOpen(Channels.newOutputStream(channel)), BUFFER_SIZE);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(dir);
        } catch (Throwable t) {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
    }

    private static Path resolveTarget(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(file); hops++) {
            if (hops == 40) {
                throw new IOException(target + ": too many levels of symbolic links");
            }
            file = file.getParent().resolve(Files.readSymbolicLink(file)).normalize();
        }
        return file;
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        // Keep the temporary name well below the usual 255-byte limit on file names.
        String stem = name.length() > 100 ? name.substring(0, 100) : name;
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
            Path tmp = dir.resolve("." + stem + "." + suffix + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (view != null) {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            permissions.add(PosixFilePermission.OWNER_WRITE);
            Files.setPosixFilePermissions(to, permissions);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the rename has happened; only its durability after a power cut is not guaranteed here
        }
    }

    /** Lets the content callback close what it wraps (a gzip stream, say) without closing the file. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
