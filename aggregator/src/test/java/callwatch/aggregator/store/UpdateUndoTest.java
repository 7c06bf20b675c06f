package callwatch.aggregator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The undo log on real files: what a start does with an update a kill cut short. */
class UpdateUndoTest {
  @TempDir Path dir;

  private static final byte[] BEFORE = "0123456789abcdef".getBytes();

  /** Writes {@code bytes} at {@code offset} of {@code file} the way the backend does: kept first, then written. */
  private static void write(UpdateUndo undo, Path file, long offset, byte[] bytes) throws Exception {
    byte[] old = new byte[bytes.length];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.read(ByteBuffer.wrap(old), offset);
      undo.keep(offset, old);
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  private Path file() throws Exception {
    Path f = dir.resolve("a.rrd");
    Files.write(f, BEFORE);
    return f;
  }

  /** One update of {@code f} in a process that then ends: {@code done} says whether the update finished first. */
  private void update(Path f, boolean done, long offset, byte[]... writes) throws Exception {
    UpdateUndo undo = UpdateUndo.open(dir.resolve("u.undo"));
    undo.begin(f.toString(), UpdateUndo.fileKey(f));
    for (byte[] w : writes) {
      write(undo, f, offset, w);
      offset += 2;
    }
    if (done) undo.done();
    undo.close(); // without done(): a kill
  }

  /** What the next start does. */
  private void restart() throws Exception {
    UpdateUndo.open(dir.resolve("u.undo")).close();
  }

  @Test
  void anUpdateCutShortIsPutBackAtTheNextStartOverlappingWritesIncluded() throws Exception {
    Path f = file();
    update(f, false, 2, "XXXX".getBytes(), "YYYY".getBytes()); // the second overlaps the first
    restart();
    assertArrayEquals(BEFORE, Files.readAllBytes(f));
  }

  @Test
  void anUpdateDoneIsKept() throws Exception {
    Path f = file();
    update(f, true, 0, "ZZ".getBytes());
    restart();
    assertArrayEquals("ZZ23456789abcdef".getBytes(), Files.readAllBytes(f));
  }

  @Test
  void aDamagedLogStopsNoStart() throws Exception {
    Path f = file();
    update(f, false, 0, "ZZ".getBytes());
    Path log = dir.resolve("u.undo");
    byte[] bytes = Files.readAllBytes(log);
    java.util.Arrays.fill(bytes, 0, 64, (byte) 0x7f); // the count, the path's length and the path: garbage
    Files.write(log, bytes);
    restart();
    restart(); // and nothing left to trip over the next time
    assertArrayEquals("ZZ23456789abcdef".getBytes(), Files.readAllBytes(f));
  }

  @Test
  void aFileReplacedSinceIsLeftAsItIs() throws Exception {
    Path f = file();
    update(f, false, 0, "ZZ".getBytes());
    // a peer's copy taken in its place before the repository opens
    Path copy = dir.resolve("copy.part");
    Files.write(copy, "peer's whole copy".getBytes());
    Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    restart();
    assertArrayEquals("peer's whole copy".getBytes(), Files.readAllBytes(f));
  }
}
