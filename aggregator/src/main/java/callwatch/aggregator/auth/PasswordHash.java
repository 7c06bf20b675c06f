package callwatch.aggregator.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt (Bouncy Castle's implementation), cost 12: about a quarter of a second per check. Pure. */
public final class PasswordHash {
  static final int COST = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A hash no password is known to match (made from 32 random bytes, then forgotten), checked when
   * a login names no account, so that an unknown name takes as long as a wrong password. Written
   * once rather than made at start: making it is a bcrypt run of its own, half a second of a
   * starting member's CPU before its code is compiled.
   */
  public static final String NO_ACCOUNT = "$2b$12$rXUbR86QAFI3kyEllj9g6OgaQFiYfqZ1ltYI/C9bZdnlGYon8tZTG";

  private PasswordHash() {}

  /** The cost a bcrypt hash was made with (its work factor), or -1 when it is not one. */
  static int costOf(String hash) {
    String[] parts = hash.split("\\$");
    if (parts.length != 4 || !parts[1].startsWith("2")) return -1;
    try {
      return Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password.getBytes(StandardCharsets.UTF_8), salt, COST);
  }

  public static boolean matches(String password, String hash) {
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false; // not a bcrypt hash
    }
  }

  /** A password for a new account: 20 characters from 32 unambiguous ones (100 bits). */
  public static String generate() {
    String alphabet = "abcdefghjkmnpqrstuvwxyz23456789AB";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) sb.append(alphabet.charAt(RANDOM.nextInt(32)));
    return sb.toString();
  }
}
