package dev.vectorgrad.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesANewFileAndReplacesAnOldOne() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.write(f, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
        assertEquals("one", Files.readString(f));
        AtomicFiles.write(f, out -> out.write("two, longer".getBytes(StandardCharsets.UTF_8)));
        assertEquals("two, longer", Files.readString(f));
        assertEquals(List.of("a.txt"), names());
    }

    @Test
    void anyFailureLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "precious");
        IOException io = new IOException("disk full");
        assertSame(io, assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[200_000]);
            throw io;
        })));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new UncheckedIOException(new IOException("x"));
        }));
        assertThrows(OutOfMemoryError.class, () -> AtomicFiles.write(f, out -> {
            throw new OutOfMemoryError("simulated");
        }));
        assertEquals("precious", Files.readString(f));
        assertEquals(List.of("a.txt"), names());
    }

    @Test
    void closingTheStreamInTheCallbackIsHarmless() throws IOException {
        Path f = dir.resolve("c.txt");
        AtomicFiles.write(f, out -> {
            out.write('x');
            out.close();
        });
        assertEquals("x", Files.readString(f));
    }

    @Test
    void missingDirectoryOrADirectoryAsTargetAreClearErrors() throws IOException {
        var e = assertThrows(NoSuchFileException.class,
                () -> AtomicFiles.write(dir.resolve("no/such/dir/x.bin"), out -> out.write(1)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        var d = assertThrows(IOException.class, () -> AtomicFiles.write(sub, out -> out.write(1)));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
        assertTrue(Files.isDirectory(sub));
    }

    @Test
    void aSymlinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path real = Files.writeString(dir.resolve("real.bin"), "old");
        Path link = dir.resolve("link.bin");
        try {
            Files.createSymbolicLink(link, real.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links are not available here: " + e);
        }
        AtomicFiles.write(link, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void permissionsOfAReplacedFileAreKept() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path f = Files.writeString(dir.resolve("p.bin"), "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.write(f, out -> out.write('n'));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertFalse(Files.readString(f).isEmpty());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
