package callwatch.aggregator.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Login sessions in the cluster's store, so that any member accepts them and a member's restart
 * logs nobody out. A session is a random 256-bit token (the cookie) mapped to its user, role and
 * CSRF token, as JSON text (no Java serialisation in the cluster); it ends after
 * {@link #IDLE_HOURS} hours without use, or at logout.
 */
public final class Sessions {
  public static final String MAP = "callwatch.sessions";
  public static final String COOKIE = "cw_session";
  static final int IDLE_HOURS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final IMap<String, String> map;

  /** A logged-in user; {@code stamp}: the account as it was at login ({@link UserFile.User#stamp}), null in sessions made before stamps. */
  public record Session(String token, String user, Role role, String csrf, String stamp) {}

  public Sessions(HazelcastInstance hz) {
    this.map = hz.getMap(MAP);
  }

  /**
   * Keeps a copy of every session in {@code file} (0600), so that a member that starts a cluster
   * alone (all members were stopped) puts them back and nobody is logged out by a restart.
   */
  public void keepCopyIn(java.nio.file.Path file, boolean restore) throws java.io.IOException {
    java.util.Map<String, String> copy = new java.util.concurrent.ConcurrentHashMap<>();
    if (java.nio.file.Files.exists(file)) {
      JsonObject saved = new JsonObject(java.nio.file.Files.readString(file));
      saved.forEach(e -> copy.put(e.getKey(), (String) e.getValue()));
      if (restore) {
        copy.forEach((token, json) -> map.putIfAbsent(token, json, 0, TimeUnit.SECONDS, IDLE_HOURS, TimeUnit.HOURS));
      }
    }
    map.forEach(copy::put);
    Runnable save = () -> {
      try {
        JsonObject o = new JsonObject();
        copy.forEach(o::put);
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        java.nio.file.Files.deleteIfExists(tmp);
        java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.nio.file.Files.writeString(tmp, o.encode());
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        java.util.logging.Logger.getLogger(Sessions.class.getName()).warning("cannot keep the sessions' copy in " + file + ": " + e);
      }
    };
    save.run();
    map.addEntryListener((com.hazelcast.map.listener.EntryAddedListener<String, String>) e -> {
      copy.put(e.getKey(), e.getValue());
      save.run();
    }, true);
    com.hazelcast.map.listener.EntryRemovedListener<String, String> removed = e -> {
      if (copy.remove(e.getKey()) != null) save.run();
    };
    map.addEntryListener(removed, false);
    map.addEntryListener((com.hazelcast.map.listener.EntryExpiredListener<String, String>) e -> {
      if (copy.remove(e.getKey()) != null) save.run();
    }, false);
  }

  static String token() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Blocking (a cluster write). */
  public Session createBlocking(String user, Role role, String stamp) {
    Session s = new Session(token(), user, role, token(), stamp);
    map.set(s.token(), new JsonObject().put("user", user).put("role", role.id()).put("csrf", s.csrf()).put("stamp", stamp).encode(),
        0, TimeUnit.SECONDS, IDLE_HOURS, TimeUnit.HOURS);
    return s;
  }

  /** The session of a cookie, or null; never blocks the caller's thread. */
  public Future<Session> find(String token) {
    if (token == null || token.length() != 43) return Future.succeededFuture(null);
    return Future.fromCompletionStage(map.getAsync(token)).map(json -> {
      if (json == null) return null;
      JsonObject o = new JsonObject(json);
      return new Session(token, o.getString("user"), Role.ofUser(o.getString("role")), o.getString("csrf"), o.getString("stamp"));
    });
  }

  public Future<Void> remove(String token) {
    return Future.fromCompletionStage(map.removeAsync(token)).mapEmpty();
  }
}
