package dev.jfdw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a files option names: literal names, directories, globs, and what is refused. */
class ServerFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        for (String name : List.of("x*.json", "xa.json", "br[1].json", "b1.json", "top.json", ".hidden.json",
                "sub/deep.json", "sub/sub2/deeper.json", "sub/notes.txt", ".partial/part.json")) {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "{}");
        }
    }

    private List<String> names(String files) {
        return ServerFiles.resolve(files).stream().map(e -> dir.relativize(e.path()).toString()).toList();
    }

    @Test
    void aNameThatExistsIsThatFileEvenWithWildcardCharacters() {
        assertEquals(List.of("x*.json"), names(dir + "/x*.json"));
        assertEquals(List.of("br[1].json"), names(dir + "/br[1].json"));
        // the same characters where no such file exists are a pattern; a backslash escapes them
        assertEquals(List.of("x*.json", "xa.json"), names(dir + "/x?.json"));
        assertEquals(List.of("b1.json"), names(dir + "/b[1].json"));
        assertEquals(List.of("x*.json"), names(dir + "/x\\*.js?n"));
    }

    @Test
    void doubleStarMatchesNoDirectoryToo() {
        assertEquals(List.of("b1.json", "br[1].json", "sub/deep.json", "sub/sub2/deeper.json", "top.json",
                "x*.json", "xa.json"), names(dir + "/**/*.json"));
        assertEquals(List.of("sub/deep.json", "sub/sub2/deeper.json"), names(dir + "/sub/**/*.json"));
        assertEquals(List.of("sub/sub2/deeper.json"), names(dir + "/**/sub2/*.json"));
    }

    /** As in a shell: names with a leading dot, directories' too, only where the pattern spells the dot. */
    @Test
    void hiddenFilesAndDirectoriesOnlyWhenNamed() {
        assertEquals(List.of(), names(dir + "/*/part.json"));
        assertEquals(List.of(".partial/part.json"), names(dir + "/.*/part.json"));
        assertEquals(List.of(".partial/part.json"), names(dir + "/.partial/*.json"));
    }

    @Test
    void doubleStarInsideANameIsNoGlobstar() throws IOException {
        Files.writeString(dir.resolve("subdeep.json"), "{}");
        assertEquals(List.of("sub/deep.json"), names(dir + "/su**/deep.json"), "not subdeep.json");
    }

    @Test
    void aDirectoryIsItsVisibleRegularFiles() {
        assertEquals(List.of("b1.json", "br[1].json", "top.json", "x*.json", "xa.json"), names(dir.toString()));
    }

    @Test
    void aBadPatternIsAnInvalidValueWhenSetAndWhenRead() {
        IllegalArgumentException set = assertThrows(IllegalArgumentException.class,
                () -> ServerFiles.checkPattern(dir + "/data[.json"));
        assertTrue(set.getMessage().contains("is not a valid glob pattern"), set.getMessage());
        FdwException read = assertThrows(FdwException.class, () -> ServerFiles.resolve(dir + "/data[.json"));
        assertEquals(SqlState.FDW_INVALID_ATTRIBUTE_VALUE, read.sqlState());
        assertTrue(ServerFiles.tryResolve(dir + "/data[.json").isEmpty());
        assertEquals(dir + "/x*.json", ServerFiles.checkPattern(dir + "/x*.json"));
    }

    @Test
    void aFifoIsRefusedNotWaitedOn() throws Exception {
        Path fifo = dir.resolve("pipe.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        FdwException e = assertThrows(FdwException.class, () -> ServerFiles.resolve(fifo.toString()));
        assertEquals(SqlState.IO_ERROR, e.sqlState());
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
        assertEquals(List.of("b1.json", "br[1].json", "top.json", "x*.json", "xa.json"), names(dir.toString()));
    }

    @Test
    void anUnreadableDirectoryOnTheWayIsAnErrorNotMissingRows() throws IOException {
        Path locked = dir.resolve("sub/sub2");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        try {
            assumeFalse(Files.isReadable(locked), "root reads any directory: JsonFilesIT checks this as postgres");
            FdwException e = assertThrows(FdwException.class, () -> ServerFiles.resolve(dir + "/**/*.json"));
            assertEquals(SqlState.INSUFFICIENT_PRIVILEGE, e.sqlState());
            assertTrue(e.getMessage().contains("sub2"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
