package callwatch.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Crash-safe file replacement: write a temp file, fsync it, rename it over the target, fsync the folder. */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void writeBlocking(Path target, String content) throws IOException {
    writeBlocking(target, content.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeBlocking(Path target, byte[] bytes) throws IOException {
    try {
      write(target, bytes);
    } catch (java.nio.file.NoSuchFileException e) {
      // the folder is gone (a clean-up of the state folder while the agent runs): made again, owner only;
      // what it held of the batches not yet acknowledged is still in memory, and the next checkpoint lands here
      Path dir = target.toAbsolutePath().getParent();
      if (Files.isDirectory(dir)) throw e;
      Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      java.util.logging.Logger.getLogger(AtomicFiles.class.getName()).warning(dir + " was gone: made again");
      write(target, bytes);
    }
  }

  private static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true); // the bytes are on disk before the name points at them
    } catch (IOException e) {
      Files.deleteIfExists(tmp); // a full disk: give back what the half-written copy took; the target is untouched
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /** Makes a rename or delete in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
