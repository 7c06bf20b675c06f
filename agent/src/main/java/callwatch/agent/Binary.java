package callwatch.agent;

/** Tells log text from binary junk: NUL and other control bytes, or bytes that are not UTF-8. */
final class Binary {
  private Binary() {}

  static boolean isBinary(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if (c < 0x20 && c != '\t' && c != '\r' && c != 0x1B) return true;
        i++;
        continue;
      }
      int extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : -1;
      if (extra < 0 || i + extra >= to) return true;
      for (int k = 1; k <= extra; k++) {
        if ((b[i + k] & 0xC0) != 0x80) return true;
      }
      i += extra + 1;
    }
    return false;
  }
}
