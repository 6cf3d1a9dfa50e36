package ai.helicone.export;

import ai.helicone.record.HeliconeRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps exported records in memory, for the application's own tests: instrument a client with it,
 * make calls, {@code helicone.flush(...)}, then assert on {@link #records()}. Thread-safe.
 */
public final class InMemoryExporter implements HeliconeExporter {
  private final List<HeliconeRecord> records = new ArrayList<>();
  private final List<String> endedSessions = new ArrayList<>();

  @Override
  public synchronized ExportResult export(List<HeliconeRecord> batch) {
    records.addAll(batch);
    return ExportResult.success();
  }

  @Override
  public synchronized void sessionEnded(String sessionId, String sessionName) {
    endedSessions.add(sessionId);
  }

  /** A snapshot of the records exported so far, in export order. */
  public synchronized List<HeliconeRecord> records() {
    return List.copyOf(records);
  }

  /** The ids of the sessions reported as ended, in order. */
  public synchronized List<String> endedSessions() {
    return List.copyOf(endedSessions);
  }

  /** Forgets everything exported so far. */
  public synchronized void reset() {
    records.clear();
    endedSessions.clear();
  }

  @Override
  public synchronized String toString() {
    return "InMemoryExporter{records=" + records.size() + '}';
  }
}
