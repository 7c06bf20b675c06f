package callwatch.aggregator.auth;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accounts: a JSON file of user → {role, hash}, readable by the service user only, managed by
 * {@code callwatch-aggregator.jar user add|passwd|remove|list} and shared by the members (the same
 * file on each, e.g. from the vault). Members read it again when it changes. Blocking.
 */
public final class UserFile {
  /** One account: its role and its bcrypt hash. */
  public record User(String name, Role role, String hash) {
    /**
     * What a session made for this account remembers of it: a new role or a new password gives
     * another stamp, so that the sessions made before end (a SHA-256 prefix: never the hash itself).
     */
    public String stamp() {
      try {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256")
            .digest((role.id() + "\n" + hash).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d, 0, 12);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Path file;
  private volatile Map<String, User> users = Map.of();
  /** Each account's {@link User#stamp}, made when the file is read: a request compares, never hashes. */
  private volatile Map<String, String> stamps = Map.of();
  private volatile long readMtime = -1;

  public UserFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The stamp of an account as last read (by {@link #usersBlocking}), null if there is no such account; never blocks. */
  public String stampOf(String name) {
    return stamps.get(name);
  }

  /** The accounts, read again if the file changed since. */
  public synchronized Map<String, User> usersBlocking() throws IOException {
    long mtime;
    try {
      mtime = Files.getLastModifiedTime(file).toMillis();
    } catch (NoSuchFileException e) {
      users = Map.of();
      stamps = Map.of();
      readMtime = -1;
      return users;
    }
    if (mtime != readMtime) {
      Map<String, User> out = new TreeMap<>();
      JsonObject o = new JsonObject(Files.readString(file)).getJsonObject("users", new JsonObject());
      for (String name : o.fieldNames()) {
        JsonObject u = o.getJsonObject(name);
        out.put(name, new User(name, Role.ofUser(u.getString("role")), u.getString("hash")));
      }
      users = Map.copyOf(out);
      Map<String, String> stamped = new java.util.HashMap<>();
      out.forEach((name, u) -> stamped.put(name, u.stamp()));
      stamps = Map.copyOf(stamped);
      readMtime = mtime;
    }
    return users;
  }

  public synchronized void putBlocking(User u) throws IOException {
    Map<String, User> all = new TreeMap<>(usersBlocking());
    all.put(u.name(), u);
    write(all);
  }

  public synchronized boolean removeBlocking(String name) throws IOException {
    Map<String, User> all = new TreeMap<>(usersBlocking());
    if (all.remove(name) == null) return false;
    write(all);
    return true;
  }

  private void write(Map<String, User> all) throws IOException {
    JsonObject o = new JsonObject();
    all.forEach((n, u) -> o.put(n, new JsonObject().put("role", u.role().id()).put("hash", u.hash())));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, new JsonObject().put("users", o).encodePrettily());
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    readMtime = -1;
  }

  /** A valid user name: what a login form and a CLI argument can carry safely. */
  public static boolean validName(String name) {
    return name != null && name.matches("[A-Za-z0-9._@-]{1,64}");
  }
}
