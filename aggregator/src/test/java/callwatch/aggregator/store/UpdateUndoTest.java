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

  @Test
  void anUpdateCutShortIsPutBackAtTheNextStartOverlappingWritesIncluded() throws Exception {
    Path f = file();
    UpdateUndo undo = UpdateUndo.open(dir.resolve("u.undo"));
    undo.begin(f.toString(), UpdateUndo.fileKey(f));
    write(undo, f, 2, "XXXX".getBytes());
    write(undo, f, 4, "YYYY".getBytes()); // overlaps the first write
    undo.close(); // the process ends here, without done(): a kill
    UpdateUndo.open(dir.resolve("u.undo")).close();
    assertArrayEquals(BEFORE, Files.readAllBytes(f));
  }

  @Test
  void anUpdateDoneIsKept() throws Exception {
    Path f = file();
    UpdateUndo undo = UpdateUndo.open(dir.resolve("u.undo"));
    undo.begin(f.toString(), UpdateUndo.fileKey(f));
    write(undo, f, 0, "ZZ".getBytes());
    undo.done();
    undo.close();
    UpdateUndo.open(dir.resolve("u.undo")).close();
    assertArrayEquals("ZZ23456789abcdef".getBytes(), Files.readAllBytes(f));
  }

  @Test
  void aFileReplacedSinceIsLeftAsItIs() throws Exception {
    Path f = file();
    UpdateUndo undo = UpdateUndo.open(dir.resolve("u.undo"));
    undo.begin(f.toString(), UpdateUndo.fileKey(f));
    write(undo, f, 0, "ZZ".getBytes());
    undo.close();
    // a peer's copy taken in its place before the repository opens
    Path copy = dir.resolve("copy.part");
    Files.write(copy, "peer's whole copy".getBytes());
    Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    UpdateUndo.open(dir.resolve("u.undo")).close();
    assertArrayEquals("peer's whole copy".getBytes(), Files.readAllBytes(f));
  }
}
