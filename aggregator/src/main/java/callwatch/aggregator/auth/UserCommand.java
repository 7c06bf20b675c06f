package callwatch.aggregator.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code callwatch-aggregator.jar user add NAME ROLE | passwd NAME | remove NAME | list} on the
 * users file of a config. The password is read from the terminal (not echoed) or, without one,
 * from the first line of standard input; {@code --generate} makes one and prints it once.
 */
public final class UserCommand {
  private UserCommand() {}

  /** Returns the exit status: 0 done, 2 a usage or input error (said on {@code err}). */
  public static int run(List<String> args, UserFile users, PrintStream out, PrintStream err) throws IOException {
    boolean generate = args.contains("--generate");
    List<String> a = args.stream().filter(x -> !x.equals("--generate")).toList();
    String verb = a.isEmpty() ? "" : a.get(0);
    try {
      switch (verb) {
        case "list" -> {
          var all = users.usersBlocking();
          all.values().forEach(u -> out.println(u.name() + "\t" + u.role().id()));
          // on standard error, so that a script reading the list reads none: nobody can log in yet
          if (all.isEmpty()) err.println("no accounts in " + users.path() + ": nobody can log in; add the first with 'user add NAME admin'");
        }
        case "add", "passwd" -> {
          if (a.size() != (verb.equals("add") ? 3 : 2)) return usage(err);
          String name = a.get(1);
          if (!UserFile.validName(name)) throw new IllegalArgumentException("a user name is 1-64 of A-Z a-z 0-9 . _ @ -");
          UserFile.User before = users.usersBlocking().get(name);
          if (verb.equals("add") && before != null) throw new IllegalArgumentException("user '" + name + "' exists: use passwd");
          if (verb.equals("passwd") && before == null) throw new IllegalArgumentException("no user '" + name + "'");
          Role role = verb.equals("add") ? Role.ofUser(a.get(2)) : before.role();
          String password = generate ? PasswordHash.generate() : readPassword();
          if (password.length() < 12) throw new IllegalArgumentException("a password needs at least 12 characters");
          users.putBlocking(new UserFile.User(name, role, PasswordHash.hash(password)));
          out.println((verb.equals("add") ? "added " : "changed the password of ") + name + " (" + role.id() + ")"
              + (generate ? "; password: " + password : ""));
        }
        case "remove" -> {
          if (a.size() != 2) return usage(err);
          if (!users.removeBlocking(a.get(1))) throw new IllegalArgumentException("no user '" + a.get(1) + "'");
          out.println("removed " + a.get(1));
        }
        default -> {
          return usage(err);
        }
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("user " + verb + ": " + e.getMessage());
      return 2;
    }
  }

  private static String readPassword() throws IOException {
    java.io.Console console = System.console();
    if (console != null) {
      char[] one = console.readPassword("password: ");
      char[] two = console.readPassword("again: ");
      if (one == null || two == null || !new String(one).equals(new String(two))) throw new IllegalArgumentException("the two passwords differ");
      return new String(one);
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null) throw new IllegalArgumentException("no password on standard input (or use --generate)");
    return line;
  }

  private static int usage(PrintStream err) {
    err.println("usage: callwatch-aggregator user add NAME admin|operator|partner [--generate] | passwd NAME [--generate]"
        + " | remove NAME | list   [--config CONFIG]");
    return 2;
  }
}
