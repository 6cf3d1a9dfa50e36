package ai.helicone.internal.export;

import ai.helicone.record.HeliconeRecord;
import java.util.function.Supplier;

/**
 * Also sees every record the pipeline admits (the metrics). It holds the record within the export
 * memory budget like an exporter does, and must call {@code release} once it is done with it.
 *
 * <p>A record it takes is built by its first call of {@code record.get()}: export workers wait for
 * that instead of building the record themselves, for as long as the observer keeps taking records
 * (see {@code ObserverProgress}). It should therefore call {@code get()} on each record it takes,
 * in order and soon.
 */
public interface RecordObserver {
  /** Sees nothing. */
  RecordObserver NONE = (record, release) -> false;

  /**
   * Takes a record without blocking.
   *
   * @return false when the record is not taken; the pipeline then releases it itself
   */
  boolean offer(Supplier<HeliconeRecord> record, Runnable release);

  /**
   * Records it took wait to be built in numbers: it should take them now rather than let more
   * gather. Called on the application's threads, so it must not block.
   */
  default void hurry() {}
}
