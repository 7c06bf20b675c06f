package callwatch.aggregator.watch;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ids partners see for alerts. An alert's own id is a hash of its kind and subject (so that
 * every member names one condition alike), and a hog's subject holds the pharmacy: from the id,
 * its kind, vendor and time, which partners see, the pharmacy's number could be found by trying
 * every number. Partners get an HMAC of the id instead, under a key the cluster's members share
 * in memory only (made by the first member; a restart of every member makes a new one, and the
 * ids partners see change with it).
 */
public final class AlertIds {
  static final String MAP = "callwatch.keys";
  private static final String KEY = "partner-alert-ids";
  private final SecretKeySpec key;

  private AlertIds(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The cluster's key: this member's if it is the first, else the one the cluster holds. */
  public static AlertIds of(HazelcastInstance hz) {
    IMap<String, String> keys = hz.getMap(MAP);
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    keys.putIfAbsent(KEY, Base64.getEncoder().encodeToString(fresh));
    return new AlertIds(Base64.getDecoder().decode(keys.get(KEY)));
  }

  /** The id as partners see it: the same on every member, and telling nothing of the subject. */
  public String forPartner(String id) {
    if (id == null) return null;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return "p" + HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)), 0, 10);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
