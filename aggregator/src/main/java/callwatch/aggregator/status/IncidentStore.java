package callwatch.aggregator.status;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The incident journal in the cluster's store ({@link #MAP}, with the cache's backups): one entry
 * per incident, as JSON text, changed only by appending to its journal under the entry's lock.
 * Nothing is ever edited or deleted: a correction is an entry that supersedes another. Blocking.
 */
public final class IncidentStore {
  public static final String MAP = "callwatch.incidents";
  /** Incidents are kept this long (the public page shows 90 days). */
  public static final int KEEP_DAYS = 400;
  public static final int MAX_TEXT = 4000;
  public static final int MAX_TITLE = 200;
  private final IMap<String, String> incidents;

  public IncidentStore(HazelcastInstance hz) {
    this.incidents = hz.getMap(MAP);
  }

  /** The outcome of a change: the incident after it, or why not (400, 404, 409). */
  public record Change(JsonObject incident, int status, String error) {
    static Change refused(int status, String error) {
      return new Change(null, status, error);
    }
  }

  /**
   * Opens an incident (from an alert: its id, else null), with its first journal entry. {@code alertReason} is the alert's reason as partners may read it;
   * {@code internalDetail}, if not null, what only operators may (the pharmacy, server or agent):
   * it goes into an internal entry after the opening one.
   */
  public Change openBlocking(String title, List<String> services, String alertId, String alertReason, String internalDetail,
                             String user, long now) {
    if (title == null || title.isBlank()) return Change.refused(400, "title is needed");
    if (title.length() > MAX_TITLE) return Change.refused(400, "title is " + title.length() + " characters; the limit is " + MAX_TITLE);
    String id = UUID.randomUUID().toString();
    List<JournalEntry> chain = new ArrayList<>();
    // an alert's id hashes its subject: where that holds what partners may not read, the id is in the internal entry only
    String from = internalDetail != null ? "\nfrom an alert" : "\nfrom alert " + alertId;
    String text = title + (alertId != null ? from + (alertReason != null ? ": " + alertReason : "") : "");
    chain.add(JournalChain.append(chain, now, user, "opened", text, false, 0));
    if (internalDetail != null) chain.add(JournalChain.append(chain, now, user, "seen", "alert " + alertId + ": " + internalDetail, true, 0));
    JsonObject incident = new JsonObject().put("id", id).put("title", title).put("services", new JsonArray(services))
        .put("openedAt", now).put("openedBy", user).put("alerts", alertId == null ? new JsonArray() : new JsonArray().add(alertId))
        .put("publicState", null).put("publicMessage", new JsonObject()).put("entries", entriesJson(chain));
    incidents.set(id, incident.encode(), KEEP_DAYS, java.util.concurrent.TimeUnit.DAYS);
    return new Change(incident, 201, null);
  }

  /**
   * Appends an entry: {@code kind} one of {@link JournalEntry#KINDS}, or {@code public} with a state
   * and a message by language, or {@code closed}. A closed incident takes nothing more (409).
   */
  public Change appendBlocking(String id, String kind, String text, boolean internal, int supersedes, String publicState,
                               Map<String, String> publicMessage, String user, long now) {
    incidents.lock(id);
    try {
      String v = incidents.get(id);
      if (v == null) return Change.refused(404, "no incident " + id);
      JsonObject incident = new JsonObject(v);
      if (incident.getLong("closedAt") != null) return Change.refused(409, "the incident is closed: its journal takes no more entries");
      List<JournalEntry> chain = entries(incident);
      if (supersedes < 0 || supersedes > chain.size()) return Change.refused(400, "supersedes names entry " + supersedes + "; there are " + chain.size());
      if (text.length() > MAX_TEXT) return Change.refused(400, "text is " + text.length() + " characters; the limit is " + MAX_TEXT);
      switch (kind) {
        case "public" -> {
          PublicState state;
          try {
            state = publicState == null ? null : PublicState.of(publicState);
          } catch (IllegalArgumentException e) {
            return Change.refused(400, e.getMessage());
          }
          JsonObject message = incident.getJsonObject("publicMessage", new JsonObject()).copy();
          for (Map.Entry<String, String> m : publicMessage.entrySet()) {
            if (!StatusText.LANGUAGES.contains(m.getKey())) return Change.refused(400, "message languages are fr, nl and en, not " + m.getKey());
            if (m.getValue().length() > MAX_TEXT) return Change.refused(400, "the " + m.getKey() + " message is too long; the limit is " + MAX_TEXT);
            message.put(m.getKey(), m.getValue());
          }
          if (state != null) incident.put("publicState", state.key());
          incident.put("publicMessage", message);
          text = (state != null ? "public state: " + state.key() + "\n" : "") + String.join("\n", publicMessage.entrySet().stream()
              .map(m -> "public message (" + m.getKey() + "): " + m.getValue()).toList());
          internal = false;
        }
        case "closed" -> incident.put("closedAt", now).put("closedBy", user);
        default -> {
          if (!JournalEntry.KINDS.contains(kind)) {
            return Change.refused(400, "kind must be one of " + String.join(", ", new java.util.TreeSet<>(JournalEntry.KINDS)) + ", public or closed");
          }
          if (text.isBlank()) return Change.refused(400, "text is needed");
        }
      }
      chain.add(JournalChain.append(chain, now, user, kind, text, internal, supersedes));
      incident.put("entries", entriesJson(chain));
      incidents.set(id, incident.encode(), KEEP_DAYS, java.util.concurrent.TimeUnit.DAYS);
      return new Change(incident, 201, null);
    } finally {
      incidents.unlock(id);
    }
  }

  public JsonObject getBlocking(String id) {
    String v = incidents.get(id);
    return v == null ? null : new JsonObject(v);
  }

  /** Incidents opened or still open since {@code from}, newest first. */
  public List<JsonObject> listBlocking(long from) {
    List<JsonObject> out = new ArrayList<>();
    for (String v : incidents.values()) {
      JsonObject o = new JsonObject(v);
      Long closed = o.getLong("closedAt");
      if (closed == null || closed >= from) out.add(o);
    }
    out.sort(Comparator.comparingLong((JsonObject o) -> o.getLong("openedAt")).reversed());
    return out;
  }

  public static List<JournalEntry> entries(JsonObject incident) {
    List<JournalEntry> out = new ArrayList<>();
    for (Object o : incident.getJsonArray("entries", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      out.add(new JournalEntry(e.getInteger("seq"), e.getLong("at"), e.getString("by"), e.getString("kind"), e.getString("text"),
          e.getBoolean("internal", false), e.getInteger("supersedes", 0), e.getString("prevHash"), e.getString("hash")));
    }
    return out;
  }

  private static JsonArray entriesJson(List<JournalEntry> chain) {
    JsonArray a = new JsonArray();
    for (JournalEntry e : chain) {
      a.add(new JsonObject().put("seq", e.seq()).put("at", e.at()).put("by", e.by()).put("kind", e.kind()).put("text", e.text())
          .put("internal", e.internal()).put("supersedes", e.supersedes()).put("prevHash", e.prevHash()).put("hash", e.hash()));
    }
    return a;
  }

  /** The incident as a partner sees it: without the entries marked internal. */
  public static JsonObject forPartner(JsonObject incident, callwatch.aggregator.watch.AlertIds ids) {
    JsonObject o = incident.copy();
    JsonArray alertIds = new JsonArray();
    for (Object id : o.getJsonArray("alerts", new JsonArray())) alertIds.add(ids.forPartner(String.valueOf(id)));
    o.put("alerts", alertIds);
    JsonArray kept = new JsonArray();
    for (Object e : o.getJsonArray("entries", new JsonArray())) if (!((JsonObject) e).getBoolean("internal", false)) kept.add(e);
    return o.put("entries", kept);
  }
}
