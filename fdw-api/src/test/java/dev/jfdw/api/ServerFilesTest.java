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

    /** As in a shell: names with a leading dot, directories' too, only where the pattern spells the dot, name by name. */
    @Test
    void hiddenFilesAndDirectoriesOnlyWhenNamed() throws IOException {
        Files.writeString(dir.resolve(".partial/.inner.json"), "{}");
        assertEquals(List.of(), names(dir + "/*/part.json"));
        assertEquals(List.of(".partial/part.json"), names(dir + "/.*/part.json"));
        assertEquals(List.of(".partial/part.json"), names(dir + "/.partial/*.json"));
        assertEquals(List.of(".partial/part.json"), names(dir + "/.*/*.json"), "the dot of .partial, not of .inner");
        assertEquals(List.of(".partial/.inner.json"), names(dir + "/.*/.*.json"));
        assertEquals(List.of(".partial/.inner.json"), names(dir + "/.partial/.inner*"));
        assertEquals(List.of(), names(dir + "/**/part.json"), "** enters no hidden directory");
        assertEquals(List.of(), names(dir + "/[.]hidden.json"), "a dot in brackets is no spelled dot");
        assertEquals(List.of(".hidden.json"), names(dir + "/{.hidden,none}.json"));
    }

    @Test
    void bracketsAndBraces() {
        assertEquals(List.of("b1.json", "br[1].json", "top.json"), names(dir + "/[!x]*.json"));
        assertEquals(List.of("b1.json", "br[1].json", "top.json"), names(dir + "/[^x]*.json"));
        assertEquals(List.of("b1.json", "br[1].json"), names(dir + "/[a-c]*.json"));
        assertEquals(List.of("sub/deep.json", "sub/sub2/deeper.json"), names(dir + "/{sub/sub2,sub}/*.json"),
                "a / inside braces");
        assertThrows(IllegalArgumentException.class, () -> ServerFiles.checkPattern(dir + "/[a/b]*.json"));
        assertThrows(IllegalArgumentException.class, () -> ServerFiles.checkPattern(dir + "/{a,b.json"));
        assertThrows(IllegalArgumentException.class, () -> ServerFiles.checkPattern(dir + "/[z-a]*.json"));
    }

    /** A pattern starting from a directory that is not there is most likely a typo: an error naming it, not no rows. */
    @Test
    void aMissingBaseDirectoryIsAnError() {
        FdwException e = assertThrows(FdwException.class, () -> ServerFiles.resolve(dir + "/nowhere/*.json"));
        assertEquals(SqlState.UNDEFINED_FILE, e.sqlState());
        assertEquals("could not open directory \"" + dir + "/nowhere\": No such file or directory", e.getMessage());
        e = assertThrows(FdwException.class, () -> ServerFiles.resolve(dir + "/top.json/*.json"));
        assertEquals("could not open directory \"" + dir + "/top.json\": Not a directory", e.getMessage());
        assertEquals(List.of(), names(dir + "/*/nowhere/*.json"), "after a wildcard, a name not there matches nothing");
    }

    /** linked -> sub, sub/far -> elsewhere (holding far.json), near.json -> top.json. */
    private void links() throws IOException {
        Files.createSymbolicLink(dir.resolve("linked"), Path.of("sub"));
        Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("far.json"), "{}");
        Files.createSymbolicLink(dir.resolve("sub/far"), Path.of("../elsewhere"));
        Files.createSymbolicLink(dir.resolve("near.json"), Path.of("top.json"));
    }

    /** Links are followed as a shell follows them, and files keep the names the pattern gives them. */
    @Test
    void symbolicLinksAreFollowed() throws IOException {
        links();
        assertEquals(List.of("linked/deep.json"), names(dir + "/linked/*.json"), "a base directory that is a link");
        assertEquals(List.of("linked/deep.json", "linked/far/far.json", "linked/sub2/deeper.json"),
                names(dir + "/linked/**/*.json"));
        assertEquals(List.of("linked/far/far.json"), names(dir + "/linked/*/far.json"),
                "a directory on the way that is a link");
        assertEquals(List.of("near.json"), names(dir + "/n*.json"), "a link to a file");
    }

    /** Its rows once, not once per name: a file met under two names keeps the first in name order. */
    @Test
    void aFileReachedByTwoNamesIsListedOnce() throws IOException {
        links();
        Files.createLink(dir.resolve("hard.json"), dir.resolve("xa.json"));
        assertEquals(List.of("linked/far/far.json"), names(dir + "/*/*/far.json"), "and sub/far/far.json");
        assertEquals(List.of("elsewhere/far.json"), names(dir + "/**/far.json"), "and two names through links");
        assertEquals(List.of("near.json"), names(dir + "/{near,top}.json"), "a link and its target");
        assertEquals(List.of("b1.json", "br[1].json", "hard.json", "near.json", "x*.json"), names(dir.toString()),
                "a directory with a hard link and a symbolic link");
    }

    /** A dangling link is passed over where the pattern does not name it, and an error where it does. */
    @Test
    void aDanglingLinkFailsOnlyWhereThePatternNamesIt() throws IOException {
        Files.createSymbolicLink(dir.resolve("gone.txt"), Path.of("nowhere.txt"));
        Files.createSymbolicLink(dir.resolve("gone.json"), Path.of("nowhere.json"));
        assertEquals(List.of("b1.json", "br[1].json", "top.json"), names(dir + "/[bt]*.json"));
        FdwException e = assertThrows(FdwException.class, () -> names(dir + "/g*.json"));
        assertTrue(e.getMessage().contains("gone.json"), e.getMessage());
    }

    /** A link to a directory above it is not entered again: the walk ends, and no file is listed twice. */
    @Test
    void aLinkLoopIsNotFollowedRoundAndRound() throws IOException {
        Files.createSymbolicLink(dir.resolve("sub/sub2/up"), Path.of("../.."));
        assertEquals(List.of("sub/deep.json", "sub/sub2/deeper.json", "sub/sub2/up/b1.json", "sub/sub2/up/br[1].json",
                "sub/sub2/up/top.json", "sub/sub2/up/x*.json", "sub/sub2/up/xa.json"), names(dir + "/sub/**/*.json"),
                "up leads out of sub, where the walk began, and into it again, where it stops");
        assertEquals(List.of("b1.json", "br[1].json", "sub/deep.json", "sub/sub2/deeper.json", "top.json",
                "x*.json", "xa.json"), names(dir + "/**/*.json"));
        assertEquals(List.of("sub/sub2/up/top.json"), names(dir + "/sub/sub2/up/t*.json"), "a link named on purpose");
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
