package callwatch.aggregator.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.TestNodes;
import callwatch.aggregator.cluster.ClusterSetup;
import callwatch.aggregator.store.BatchJournal;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JournalCopiesTest {
  @TempDir Path tmp;

  @Test
  void eachMemberAsksTheNextOneByIdFirstAndNeverItself() {
    List<String> ids = List.of("c", "a", "b");
    assertEquals(List.of("b", "c"), JournalCopies.peersAfter("a", ids));
    assertEquals(List.of("c", "a"), JournalCopies.peersAfter("b", ids));
    assertEquals(List.of("a", "b"), JournalCopies.peersAfter("c", ids));
    assertEquals(List.of(), JournalCopies.peersAfter("a", List.of("a")), "a cluster of one has nobody to copy to");
  }

  /**
   * Two real members. While the cluster starts, nobody serves copies yet, and a batch goes on with
   * one disk. Once a peer has taken a copy, a peer that no longer answers at its address (it
   * restarts, or the cluster's record of it went missing while members died: TwoMembersKilledTest
   * lost a batch acknowledged so just before its member died) is no reason to acknowledge on one
   * disk: the copy fails, the batch is not acknowledged, and the agent sends it again.
   */
  @Test
  @Timeout(120)
  @DisplayName("once a peer has taken copies, no serving peer means no copy and no acknowledgement, not a batch on one disk")
  void noServingPeerAfterOneServedFails() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:6008", "127.0.0.1:6018");
    ClusterSetup.Node a = TestNodes.bareMember(tmp.resolve("a"), cluster, 6008, members);
    ClusterSetup.Node b = TestNodes.bareMember(tmp.resolve("b"), cluster, 6018, members);
    try (BatchJournal journalB = new BatchJournal(tmp.resolve("b-journal"))) {
      WorkerExecutor poolA = a.vertx().createSharedWorkerExecutor("copies-a", 2);
      WorkerExecutor poolB = b.vertx().createSharedWorkerExecutor("copies-b", 2);
      JournalCopies copies = new JournalCopies(a.vertx(), a.hazelcast(), poolA);
      List<JournalCopies.Copy> batch = List.of(new JournalCopies.Copy("agent-1", 1, 1_000, "web-1", "1.0", "{\"seq\":1}"));

      assertTrue(succeeds(copies.copy(batch)), "the cluster is starting: nobody serves copies yet, the batch goes on");
      MessageConsumer<?> serving = JournalCopies.serve(b.vertx(), b.hazelcast().getCluster().getLocalMember().getUuid().toString(),
          journalB, poolB);
      serving.completion().await(10, TimeUnit.SECONDS);
      assertTrue(succeeds(copies.copy(batch)), "b serves: it takes the copy");
      assertEquals(1, journalB.readAllBlocking().size(), "the copy is in b's journal");

      serving.unregister().await(10, TimeUnit.SECONDS);
      assertTrue(!succeeds(copies.copy(batch)), "b served before and no longer answers: the batch must not be acknowledged on one disk");

      // b comes back (a member rejoining registers its address a moment after it joins): the copy
      // asked meanwhile waits for it rather than refusing every agent's batches
      io.vertx.core.Future<Void> meanwhile = copies.copy(batch);
      Thread.sleep(1000);
      JournalCopies.serve(b.vertx(), b.hazelcast().getCluster().getLocalMember().getUuid().toString(), journalB, poolB)
          .completion().await(10, TimeUnit.SECONDS);
      assertTrue(succeeds(meanwhile), "b serves again within the peer timeout: it takes the copy asked while it had no address");
      assertEquals(2, journalB.readAllBlocking().size(), "the second copy is in b's journal");
    } finally {
      b.vertx().close().await(30, TimeUnit.SECONDS);
      a.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  private static boolean succeeds(io.vertx.core.Future<Void> f) throws Exception {
    try {
      f.await(30, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
