package callwatch.agent.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NewlineScanTest {
  private static int naive(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  @Test
  @DisplayName("the 8-bytes-at-a-time newline scan finds the same newline as a byte loop, at every offset and length")
  void findsTheFirstNewline() {
    Random random = new Random(7);
    // bytes near '\n' in value (0x09, 0x0B, 0x8A, 0x0A followed by borrows) are where the bit trick could go wrong
    byte[] alphabet = {'\n', 0x09, 0x0B, (byte) 0x8A, (byte) 0x80, 0x00, (byte) 0xFF, 'a', '1', 0x01};
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[1 + random.nextInt(40)];
      for (int i = 0; i < b.length; i++) b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('b' + i % 20);
      int from = random.nextInt(b.length);
      int to = from + random.nextInt(b.length - from + 1);
      assertEquals(naive(b, from, to), Tailer.indexOfNewline(b, from, to));
    }
  }
}
