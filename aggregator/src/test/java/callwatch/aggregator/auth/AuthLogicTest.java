package callwatch.aggregator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthLogicTest {
  @TempDir Path tmp;

  @Test
  @DisplayName("five failures are free; then each try waits twice as long after the last failure; a success clears it")
  void throttle() {
    LoginThrottle t = new LoginThrottle();
    for (int i = 0; i < 5; i++) {
      assertEquals(0, t.waitMillis("user:a", 1000));
      t.failed("user:a", 1000);
    }
    long[][] table = {
        // now, wait expected
        {1000, 2000}, {2000, 1000}, {3000, 0},
    };
    for (long[] row : table) assertEquals(row[1], t.waitMillis("user:a", row[0]), "at " + row[0]);
    t.failed("user:a", 3000);
    assertEquals(4000, t.waitMillis("user:a", 3000), "the sixth failure doubles the wait");
    assertEquals(0, t.waitMillis("user:b", 3000), "keys are independent");
    t.succeeded("user:a");
    assertEquals(0, t.waitMillis("user:a", 3000));
    for (int i = 0; i < 40; i++) t.failed("user:c", 0);
    assertEquals(LoginThrottle.MAX_WAIT_MILLIS, t.waitMillis("user:c", 0), "capped");
  }

  @Test
  @DisplayName("the hash checked for a name without an account costs what an account's does, and matches no password tried")
  void noAccountHashCostsWhatARealOneDoes() {
    assertEquals(PasswordHash.COST, PasswordHash.costOf(PasswordHash.hash("any password")));
    assertEquals(PasswordHash.COST, PasswordHash.costOf(PasswordHash.NO_ACCOUNT));
    for (String tried : new String[] {"", "not a password of anyone", "admin", "password"}) {
      assertFalse(PasswordHash.matches(tried, PasswordHash.NO_ACCOUNT), tried);
    }
    assertEquals(-1, PasswordHash.costOf("not-a-hash"));
  }

  @Test
  @DisplayName("bcrypt hashes check the right password only; a file of accounts is 0600; the command refuses bad input with the reason")
  void hashesFileAndCommand() throws Exception {
    String h = PasswordHash.hash("correct horse battery");
    assertTrue(h.startsWith("$2b$12$"), h);
    assertTrue(PasswordHash.matches("correct horse battery", h));
    assertFalse(PasswordHash.matches("correct horse batterY", h));
    assertFalse(PasswordHash.matches("anything", "not-a-hash"));
    UserFile users = new UserFile(tmp.resolve("users.json"));
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    assertEquals(0, UserCommand.run(List.of("add", "alice", "operator", "--generate"), users, new PrintStream(out), new PrintStream(err)));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(users.path())));
    String password = out.toString().trim().replaceAll(".*password: ", "");
    assertTrue(PasswordHash.matches(password, users.usersBlocking().get("alice").hash()), "the printed password is the account's");
    assertEquals(Role.OPERATOR, users.usersBlocking().get("alice").role());
    Object[][] bad = {
        {List.of("add", "alice", "operator", "--generate"), "exists"},
        {List.of("add", "bob", "root", "--generate"), "unknown role 'root'"},
        {List.of("add", "b b", "partner", "--generate"), "a user name is"},
        {List.of("remove", "nobody"), "no user 'nobody'"},
    };
    for (Object[] row : bad) {
      err.reset();
      @SuppressWarnings("unchecked")
      List<String> args = (List<String>) row[0];
      assertEquals(2, UserCommand.run(args, users, new PrintStream(out), new PrintStream(err)), args.toString());
      assertTrue(err.toString().contains((String) row[1]), err.toString());
    }
    assertEquals(0, UserCommand.run(List.of("remove", "alice"), users, new PrintStream(out), new PrintStream(err)));
    assertTrue(users.usersBlocking().isEmpty());
    out.reset();
    err.reset();
    assertEquals(0, UserCommand.run(List.of("list"), users, new PrintStream(out), new PrintStream(err)));
    assertEquals("", out.toString(), "a script reading the list reads no account");
    assertTrue(err.toString().contains("no accounts in " + users.path()) && err.toString().contains("user add NAME admin"),
        "an empty list says so, and how to add the first: " + err);
  }
}
