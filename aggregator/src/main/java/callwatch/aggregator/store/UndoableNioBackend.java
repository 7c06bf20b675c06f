package callwatch.aggregator.store;

import java.io.IOException;
import org.rrd4j.core.RrdBackend;
import org.rrd4j.core.RrdBackendAnnotation;
import org.rrd4j.core.RrdNioBackend;
import org.rrd4j.core.RrdNioBackendFactory;
import org.rrd4j.core.RrdSyncThreadPool;

/**
 * rrd4j's mapped-file backend that hands the bytes each write of an update replaces to
 * {@link UpdateUndo} before it writes. rrd4j writes through these methods only.
 */
final class UndoableNioBackend extends RrdNioBackend {
  private final UpdateUndo undo;
  /** The file as the undo log names it: absolute, so that a start from another folder finds it. */
  private final String file;
  /** The file's identity on disk, as the undo log records it. */
  private final String fileKey;

  private UndoableNioBackend(String path, boolean readOnly, RrdSyncThreadPool pool, int syncPeriod, UpdateUndo undo) throws IOException {
    super(path, readOnly, pool, syncPeriod);
    this.undo = undo;
    this.file = java.nio.file.Path.of(path).toAbsolutePath().toString();
    this.fileKey = UpdateUndo.fileKey(java.nio.file.Path.of(path));
  }

  /** An update of this file starts: what it overwrites is kept until it is whole. */
  void beginUpdate() {
    undo.begin(file, fileKey);
  }

  /** The factory to open round-robin files with, whose updates {@code undo} keeps. */
  @RrdBackendAnnotation(name = "NIO-UNDO", shouldValidateHeader = true)
  static final class Factory extends RrdNioBackendFactory {
    private final UpdateUndo undo;

    Factory(UpdateUndo undo) {
      this.undo = undo;
    }

    @Override
    protected RrdBackend open(String path, boolean readOnly) throws IOException {
      return new UndoableNioBackend(path, readOnly, getSyncThreadPool(), getSyncPeriod(), undo);
    }
  }

  private void keep(long offset, int length) throws IOException {
    if (!undo.keeps(file)) return;
    byte[] old = new byte[length];
    read(offset, old);
    undo.keep(offset, old);
  }

  @Override
  protected synchronized void write(long offset, byte[] b) throws IOException {
    keep(offset, b.length);
    super.write(offset, b);
  }

  @Override
  protected void writeShort(long offset, short value) throws IOException {
    keep(offset, Short.BYTES);
    super.writeShort(offset, value);
  }

  @Override
  protected void writeInt(long offset, int value) throws IOException {
    keep(offset, Integer.BYTES);
    super.writeInt(offset, value);
  }

  @Override
  protected void writeLong(long offset, long value) throws IOException {
    keep(offset, Long.BYTES);
    super.writeLong(offset, value);
  }

  @Override
  protected void writeDouble(long offset, double value) throws IOException {
    keep(offset, Double.BYTES);
    super.writeDouble(offset, value);
  }

  @Override
  protected void writeDouble(long offset, double value, int count) throws IOException {
    keep(offset, Double.BYTES * count);
    super.writeDouble(offset, value, count);
  }

  @Override
  protected void writeDouble(long offset, double[] values) throws IOException {
    keep(offset, Double.BYTES * values.length);
    super.writeDouble(offset, values);
  }

  @Override
  protected void writeString(long offset, String value, int length) throws IOException {
    keep(offset, Character.BYTES * length);
    super.writeString(offset, value, length);
  }
}
