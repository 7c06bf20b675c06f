package callwatch.agent.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/** CRC32 of a file's first bytes: tells a reused inode from the file it replaced, and finds a copytruncate copy. */
final class Fingerprints {
  static final int MAX_LEN = 1024;

  private Fingerprints() {}

  /** The hash of the first {@code len} bytes, or -1 if the file is shorter. */
  static long of(FileChannel ch, int len) throws IOException {
    byte[] head = head(ch, len);
    return head == null ? -1 : of(head, 0, len);
  }

  static long of(byte[] b, int from, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, from, len);
    return crc.getValue();
  }

  /** The first {@code len} bytes, read at once, or null if the file is shorter. */
  static byte[] head(FileChannel ch, int len) throws IOException {
    return bytesAt(ch, 0, len);
  }

  /** The {@code len} bytes from {@code at}, or null if the file ends before them. */
  static byte[] bytesAt(FileChannel ch, long at, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(len);
    while (buf.hasRemaining()) {
      if (ch.read(buf, at + buf.position()) < 0) return null;
      if (buf.position() < len && ch.size() < at + len) return null;
    }
    return buf.array();
  }
}
