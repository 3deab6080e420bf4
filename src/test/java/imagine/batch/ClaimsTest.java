package imagine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imagine.model.ThisUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run removes only what a run of this program provably wrote: the user's files beside a killed
 * run's, a planted claim, a claim of another user, and files changed since are never touched.
 */
class ClaimsTest {

    /** A claim as a killed run leaves it: its owner line names a process that is gone. */
    static void kill(Claim claim, Path dir) throws Exception {
        Path file;
        try (Stream<Path> s = Files.list(dir)) {
            file = s.filter(p -> p.getFileName().toString().endsWith(".claim")).findFirst().orElseThrow();
        }
        String host = ProcessMark.current().split(" ", 3)[2];
        String text = Files.readString(file).replaceFirst("owner [^\n]*", "owner 999999999 1 " + host);
        Files.writeString(file, text);
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Claim runClaim(Path dir) throws Exception {
        return NumberedFiles.claim(dir, n -> RunWriter.names(dir, "chelsea", n, new long[] {0, 1}, ".png"));
    }

    static void bytes(Claim c, Path target, String text) throws Exception {
        c.write(target, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theUsersFilesBesideAKilledRunAreKept(@TempDir Path dir) throws Exception {
        // The user's own files with the run's names but other extensions, and a folder of the run's name.
        Files.writeString(dir.resolve("chelsea-001.jpg"), "my photo");
        Files.writeString(dir.resolve("chelsea-001.txt"), "my notes");
        Files.createDirectories(dir.resolve("chelsea-001"));
        Files.writeString(dir.resolve("chelsea-001/thesis.tex"), "my thesis");
        Claim c = runClaim(dir);
        assertEquals(1, c.number());
        bytes(c, dir.resolve("chelsea-001-s0.png"), "sample 0");
        // killed before sample 1 and the sidecar: a temporary of the next file half-written
        Files.writeString(dir.resolve(".chelsea-001-s1.png." + token(dir) + ".part"), "half");
        kill(c, dir);

        Claim next = runClaim(dir);
        assertEquals(1, next.number(), "the killed run's number is free again");
        assertEquals(3, next.cleaned().size(), next.cleaned().toString()); // its sample, its temporary, its claim
        next.close();
        assertEquals(List.of("chelsea-001", "chelsea-001.jpg", "chelsea-001.txt"), names(dir));
        assertEquals("my thesis", Files.readString(dir.resolve("chelsea-001/thesis.tex")));
    }

    private static String token(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            Path claim = s.filter(p -> p.getFileName().toString().endsWith(".claim")).findFirst().orElseThrow();
            return Files.readString(claim).lines().filter(l -> l.startsWith("token ")).findFirst().orElseThrow().substring(6);
        }
    }

    @Test
    void aPlantedClaimRemovesNothing(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("thesis"));
        Files.writeString(dir.resolve("thesis/chapter1.tex"), "chapter");
        Files.writeString(dir.resolve("thesis.docx"), "the thesis");
        String host = ProcessMark.current().split(" ", 3)[2];
        // The old format (a dead pid of this host), and this program's format naming the user's files with made-up
        // hashes, a path outside the folder and a folder with something in it.
        Files.writeString(dir.resolve(".thesis.x.claim"), "999999999 1 " + host);
        Files.writeString(dir.resolve(".thesis.y.claim"), Claim.MAGIC + "\ntoken 0123456789abcdef\nprimary thesis.y\n"
                + "owner 999999999 1 " + host + "\nfolder thesis\nfile 10 " + "0".repeat(64) + " thesis.docx\n"
                + "file 3 " + "0".repeat(64) + " ..%2Foutside\n");
        Files.writeString(dir.getParent().resolve("outside"), "abc");
        List<Path> removed = NumberedFiles.cleanStale(dir);
        assertEquals(List.of(), removed, "a claim without its folder's place is not acted on, not even removed");
        assertEquals("the thesis", Files.readString(dir.resolve("thesis.docx")));
        assertEquals("chapter", Files.readString(dir.resolve("thesis/chapter1.tex")));
        assertTrue(Files.exists(dir.getParent().resolve("outside")));
        assertTrue(Files.exists(dir.resolve(".thesis.x.claim")), "not in this program's format: not touched");
        Files.delete(dir.getParent().resolve("outside"));
    }

    @Test
    void aClaimOfAnotherUserIsNeverActedOn(@TempDir Path dir) throws Exception {
        assumeTrue(Integer.valueOf(0).equals(ThisUser.uid()), "only root can give a file to another user");
        Claim c = runClaim(dir);
        bytes(c, dir.resolve("chelsea-001-s0.png"), "sample 0");
        kill(c, dir);
        Files.setAttribute(dir.resolve(".chelsea-001.json.claim"), "unix:uid", 65534);
        assertEquals(List.of(), NumberedFiles.cleanStale(dir));
        assertTrue(Files.exists(dir.resolve("chelsea-001-s0.png")));
    }

    @Test
    void aFileChangedSinceTheRunIsKept(@TempDir Path dir) throws Exception {
        Claim c = runClaim(dir);
        bytes(c, dir.resolve("chelsea-001-s0.png"), "sample 0");
        bytes(c, dir.resolve("chelsea-001-s1.png"), "sample 1");
        kill(c, dir);
        Files.writeString(dir.resolve("chelsea-001-s1.png"), "edited by the user");
        NumberedFiles.cleanStale(dir);
        assertEquals(List.of("chelsea-001-s1.png"), names(dir));
    }

    @Test
    void aRunKilledAfterItsSidecarIsKeptWhole(@TempDir Path dir) throws Exception {
        Claim c = runClaim(dir);
        bytes(c, dir.resolve("chelsea-001-s0.png"), "sample 0");
        bytes(c, dir.resolve("chelsea-001-s1.png"), "sample 1");
        bytes(c, dir.resolve("chelsea-001.json"), "{}");
        kill(c, dir);
        NumberedFiles.cleanStale(dir);
        assertEquals(List.of("chelsea-001-s0.png", "chelsea-001-s1.png", "chelsea-001.json"), names(dir));
    }

    @Test
    void aLiveRunsClaimIsLeftAlone(@TempDir Path dir) throws Exception {
        Claim c = runClaim(dir);
        bytes(c, dir.resolve("chelsea-001-s0.png"), "sample 0");
        assertEquals(List.of(), NumberedFiles.cleanStale(dir));
        Claim second = runClaim(dir);
        assertEquals(2, second.number(), "a concurrent run gets the next number");
        second.close();
        c.close();
        assertEquals(List.of("chelsea-001-s0.png"), names(dir), "closing leaves the files and no claim");
    }

    @Test
    void anEmptyClaimFromAKillBetweenCreatingAndWritingIsRemovedAfterAMinute(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve(".chelsea-001.json.claim"));
        Claim c = runClaim(dir);
        assertEquals(2, c.number(), "a claim being written is respected");
        c.discardAll();
        Files.setLastModifiedTime(empty, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        Claim again = runClaim(dir);
        assertEquals(1, again.number(), "no number is skipped for good");
        again.close();
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aKilledRunsSnapshotsGoWithItAndTheNumberStaysTheRuns(@TempDir Path dir) throws Exception {
        RunWriter.Slot slot = RunWriter.reserve(dir, "chelsea", new long[] {0}, null);
        Path snaps = slot.claim().folder(slot.snapshotsFolder());
        bytes(slot.claim(), snaps.resolve("s0-it00010.png"), "snapshot");
        kill(slot.claim(), dir);
        RunWriter.Slot next = RunWriter.reserve(dir, "chelsea", new long[] {0}, null);
        assertEquals(dir.resolve("chelsea-snapshots-001"), next.snapshotsFolder());
        assertFalse(Files.exists(snaps), "the killed run's snapshots folder is gone");
        next.close();
    }

    @Test
    void aFolderWithTheUsersFilesInItIsNeverRemoved(@TempDir Path dir) throws Exception {
        Claim c = NumberedFiles.claim(dir, n -> List.of(dir.resolve("report-00" + n)));
        Path report = c.folder(dir.resolve("report-001"));
        bytes(c, report.resolve("report.csv"), "a,b");
        kill(c, dir);
        Files.writeString(report.resolve("my-notes.txt"), "notes"); // the user put something in it since
        NumberedFiles.cleanStale(dir);
        assertEquals(List.of("my-notes.txt"), names(report));
    }

    @Test
    void nothingIsEverWrittenOverAnExistingFile(@TempDir Path dir) throws Exception {
        Claim c = runClaim(dir);
        Files.writeString(dir.resolve("chelsea-001-s0.png"), "appeared meanwhile");
        assertThrows(FileAlreadyExistsException.class, () -> bytes(c, dir.resolve("chelsea-001-s0.png"), "sample"));
        assertEquals("appeared meanwhile", Files.readString(dir.resolve("chelsea-001-s0.png")));
        c.discardAll();
        assertEquals(List.of("chelsea-001-s0.png"), names(dir), "its temporary is gone, the other file kept");
    }

    @Test
    void aKilledRunsFolderSwappedForALinkLeadsNowhere(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        RunWriter.Slot slot = RunWriter.reserve(out, "chelsea", new long[] {0}, null);
        Path snaps = slot.claim().folder(slot.snapshotsFolder());
        bytes(slot.claim(), snaps.resolve("s0-it00001.png"), "snapshot");
        kill(slot.claim(), out);
        // Someone who can rename in the folder puts a link to a folder of identical copies in its place.
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Files.writeString(backup.resolve("s0-it00001.png"), "snapshot");
        Files.move(snaps, out.resolve("moved"));
        Files.createSymbolicLink(snaps, backup);
        NumberedFiles.cleanStale(out);
        assertEquals("snapshot", Files.readString(backup.resolve("s0-it00001.png")), "nothing removed through the link");
        assertTrue(Files.isSymbolicLink(snaps), "the link itself is not this program's folder either");
    }

    @Test
    void recordsGoIntoTheClaimEvenWhenItsNameIsSwappedForALink(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("thesis.txt"), "my thesis\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        Claim c = runClaim(out);
        Path claim = out.resolve(".chelsea-001.json.claim");
        Files.move(claim, out.resolve("stolen"));
        Files.createSymbolicLink(claim, victim);
        bytes(c, out.resolve("chelsea-001-s0.png"), "sample");
        c.close();
        assertEquals("my thesis\n", Files.readString(victim), "no record appended through the link");
        assertTrue(Files.isSymbolicLink(claim), "a file put in the claim's place is not removed as the claim");
        assertTrue(Files.readString(out.resolve("stolen")).contains("finished"), "the records went into the claim itself");
    }

    @Test
    void aTemporaryNameSomeoneHoldsIsNotTheirsToLose(@TempDir Path dir) throws Exception {
        Claim c = runClaim(dir);
        Path claim = dir.resolve(".chelsea-001.json.claim");
        String token = Files.readString(claim).lines().filter(l -> l.startsWith("token ")).findFirst().orElseThrow().substring(6);
        Path planted = Files.writeString(dir.resolve(".chelsea-001-s0.png." + token + ".part"), "someone's");
        assertThrows(FileAlreadyExistsException.class, () -> bytes(c, dir.resolve("chelsea-001-s0.png"), "sample"));
        assertEquals("someone's", Files.readString(planted));
        c.close();
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            return;
        }
        Claim d = runClaim(dir);
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve(".chelsea-001.json.claim")), "the token is not for others to read");
        d.close();
    }

    @Test
    void aManifestIsNeverWrittenThroughALink(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("v1"), "ROOT SECRET\n");
        Manifest.Row row = Manifest.Row.failed("a.png", 1.0, "x");
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Files.createSymbolicLink(fresh.resolve(".manifest.csv.part"), victim);
        Manifest.load(fresh).put(row);
        assertEquals("ROOT SECRET\n", Files.readString(victim));
        assertTrue(Files.readString(fresh.resolve("manifest.csv")).contains("a.png,failed"));
    }

    @Test
    void aNumberWhoseSnapshotsFolderExistsIsNotTaken(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("chelsea-snapshots-001")); // a failed run's, kept, or the user's
        RunWriter.Slot slot = RunWriter.reserve(dir, "chelsea", new long[] {0}, null);
        assertEquals(dir.resolve("chelsea-snapshots-002"), slot.snapshotsFolder(), "its snapshots would carry another run's number");
        Path snaps = slot.claim().folder(slot.snapshotsFolder());
        bytes(slot.claim(), snaps.resolve("s0-it00001.png"), "snapshot");
        slot.abandon(false);
        assertFalse(Files.exists(snaps), "a failed run leaves nothing");
        assertEquals(List.of("chelsea-snapshots-001"), names(dir));
    }

    @Test
    void anotherUsersStaleLockIsRefusedNotRemoved(@TempDir Path dir) throws Exception {
        assumeTrue(Integer.valueOf(0).equals(ThisUser.uid()), "only root can give a file to another user");
        Path lock = Files.writeString(dir.resolve(BatchLock.FILE), "999999999 1 " + ProcessMark.current().split(" ", 3)[2]);
        Files.setAttribute(lock, "unix:uid", 65534);
        var e = assertThrows(imagine.UserInputException.class, () -> BatchLock.acquire(dir));
        assertTrue(e.getMessage().contains("another user's batch lock"), e.getMessage());
        assertTrue(Files.exists(lock));
    }

    @Test
    void aRunWhoseNamesAppearWhileItWritesMovesToTheNextNumber(@TempDir Path dir) throws Exception {
        imagine.core.SynthesisResult r = imagine.core.ImagineEngine.builder(imagine.TestModels.mobilenet()).build().synthesize(
                Images.read(imagine.TestModels.image("chelsea.png")), imagine.config.ImagineConfig.preset(
                        imagine.config.ImagineConfig.Preset.FAST).size(32, 32).iterations(2).build(),
                imagine.core.ProgressListener.NONE, new imagine.core.CancellationToken());
        RunWriter.Slot slot = RunWriter.reserve(dir, "chelsea", r.seeds(), null);
        Files.writeString(dir.resolve("chelsea-001-s0.png"), "someone's"); // written meanwhile by another program
        List<Path> files = slot.write(r, java.util.Map.of(), null);
        slot.close();
        assertEquals(List.of(dir.resolve("chelsea-002-s0.png"), dir.resolve("chelsea-002.json")), files);
        assertEquals("someone's", Files.readString(dir.resolve("chelsea-001-s0.png")));
        assertEquals(List.of("chelsea-001-s0.png", "chelsea-002-s0.png", "chelsea-002.json"), names(dir), "no claim left");
    }

    @Test
    void aClaimedFolderSwappedForALinkIsNotWrittenThrough(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        RunWriter.Slot slot = RunWriter.reserve(out, "chelsea", new long[] {0}, null);
        Path snaps = slot.claim().folder(slot.snapshotsFolder());
        bytes(slot.claim(), snaps.resolve("s0-it00001.png"), "snapshot");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.move(snaps, out.resolve("moved"));
        Files.createSymbolicLink(snaps, elsewhere);
        var e = assertThrows(java.io.IOException.class, () -> bytes(slot.claim(), snaps.resolve("s0-it00002.png"), "snap"));
        assertTrue(e.getMessage().contains("was replaced while this run was writing"), e.getMessage());
        assertEquals(List.of(), names(elsewhere), "nothing written through the link");
        slot.close();
    }

    @Test
    void aPipeNamedLikeALockIsNeverOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve(BatchLock.FILE);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo");
        long t0 = System.nanoTime();
        var e = assertThrows(imagine.UserInputException.class, () -> BatchLock.acquire(dir));
        assertTrue(e.getMessage().contains("is not a regular file (a pipe"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5e9, "refused at once, not blocked in open()");
    }

    @Test
    void aLockIsRemovedOnlyWhileItHoldsThisProcessesMark(@TempDir Path dir) throws Exception {
        BatchLock lock = BatchLock.acquire(dir);
        Path f = dir.resolve(BatchLock.FILE);
        // The user put their own file in its place while the batch ran: closing leaves it.
        Files.delete(f);
        Files.writeString(f, "my notes");
        lock.close();
        assertEquals("my notes", Files.readString(f));
        Files.delete(f);
        BatchLock.acquire(dir).close();
        assertFalse(Files.exists(f), "its own lock goes");
        assertTrue(ProcessMark.isMark(ProcessMark.current()) && ProcessMark.isMark("12 3400"));
        assertFalse(ProcessMark.isMark("my notes") || ProcessMark.isMark("") || ProcessMark.isMark("12"),
                "text that names no process is no lock of IMAGINE's");
    }

    @Test
    void anotherUsersManifestIsNeitherReadNorReplaced(@TempDir Path dir) throws Exception {
        assumeTrue(Integer.valueOf(0).equals(ThisUser.uid()), "only root can give a file to another user");
        Path m = Files.writeString(dir.resolve(Manifest.FILE), "reference,status\n");
        Files.setAttribute(m, "unix:uid", 65534);
        var e = assertThrows(imagine.UserInputException.class, () -> Manifest.load(dir));
        assertTrue(e.getMessage().contains("belongs to another user"), e.getMessage());
        assertEquals("reference,status\n", Files.readString(m));
    }

    @Test
    void aVeryLongReferenceNameGivesOutputNamesAFileSystemTakes(@TempDir Path dir) throws Exception {
        String stem = "x".repeat(240);
        assertEquals(ReferenceRunner.MAX_STEM, ReferenceRunner.baseName(dir.resolve(stem + ".png")).length());
        Claim c = NumberedFiles.claim(dir, n -> RunWriter.names(dir, ReferenceRunner.baseName(dir.resolve(stem + ".png")), n,
                new long[] {0}, ".png"));
        bytes(c, RunWriter.names(dir, "x".repeat(ReferenceRunner.MAX_STEM), 1, new long[] {0}, ".png").get(1), "sample");
        c.close();
        assertEquals(1, names(dir).size());
    }

    @Test
    void aClaimMovedIntoAnotherFolderIsNotThatFoldersClaim(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        // b holds a finished run whose files have the same content a killed run in a wrote.
        Files.writeString(b.resolve("chelsea-001-s0.png"), "sample 0");
        Claim c = runClaim(a);
        bytes(c, a.resolve("chelsea-001-s0.png"), "sample 0");
        kill(c, a);
        Files.move(a.resolve(".chelsea-001.json.claim"), b.resolve(".chelsea-001.json.claim"));
        assertEquals(List.of(), NumberedFiles.cleanStale(b));
        assertEquals("sample 0", Files.readString(b.resolve("chelsea-001-s0.png")), "the finished run's file is kept");
    }

    @Test
    void aManifestOfAnotherProgramIsNeverTakenOver(@TempDir Path dir) throws Exception {
        for (String text : new String[] {"", "hello world\n", "reference,status\n", "a,b,c,d,e,f,g,h\n"}) {
            Path m = Files.writeString(dir.resolve(Manifest.FILE), text);
            var e = assertThrows(imagine.UserInputException.class, () -> Manifest.load(dir));
            assertTrue(e.getMessage().contains("is not a manifest written by IMAGINE"), e.getMessage());
            assertEquals(text, Files.readString(m));
        }
        Files.writeString(dir.resolve(Manifest.FILE), String.join(",", Manifest.HEADER) + "\nx.png,ok,,,3,abc,1,\n");
        var e = assertThrows(imagine.UserInputException.class, () -> Manifest.load(dir));
        assertTrue(e.getMessage().contains("is damaged at line 2") && !e.getMessage().contains("NumberFormat"), e.getMessage());
    }

    @Test
    void aManifestWrittenMeanwhileByAnotherProgramIsLeftAsItIs(@TempDir Path dir) throws Exception {
        Manifest m = Manifest.load(dir);
        Files.writeString(dir.resolve(Manifest.FILE), "mine\n"); // appeared after the batch looked
        var e = assertThrows(imagine.UserInputException.class, () -> m.put(Manifest.Row.failed("a.png", 1.0, "x")));
        assertTrue(e.getMessage().contains("was written by another program"), e.getMessage());
        assertEquals("mine\n", Files.readString(dir.resolve(Manifest.FILE)));
        Manifest own = Manifest.load(Files.createDirectories(dir.resolve("own")));
        own.put(Manifest.Row.failed("a.png", 1.0, "x"));
        own.put(Manifest.Row.failed("b.png", 1.0, "y")); // its own earlier write is no stranger
        assertTrue(Files.readString(dir.resolve("own").resolve(Manifest.FILE)).contains("b.png"));
    }

    @Test
    void anOutputPathThroughAnotherUsersLinkIsRefused(@TempDir Path dir) throws Exception {
        assumeTrue(Integer.valueOf(0).equals(ThisUser.uid()), "only root can give a file to another user");
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Path link = Files.createSymbolicLink(dir.resolve("out"), victim);
        Files.setAttribute(link, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        var e = assertThrows(imagine.UserInputException.class, () -> Writable.folder(link.resolve("sub"), "--out"));
        assertTrue(e.getMessage().contains("a link of another user"), e.getMessage());
        Path own = Files.createSymbolicLink(dir.resolve("mine"), victim);
        Writable.folder(own, "--out"); // this user's own link is the user's choice
        assertEquals(List.of(), names(victim));
    }
}
