package callwatch.aggregator.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt (Bouncy Castle's implementation), cost 12: about a quarter of a second per check. Pure. */
public final class PasswordHash {
  static final int COST = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

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
