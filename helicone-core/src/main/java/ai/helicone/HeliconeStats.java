package ai.helicone;

/**
 * Counters of the export pipeline, summed over all exporters, at one point in time. A record
 * delivered to two exporters counts twice. Immutable and thread-safe.
 */
public final class HeliconeStats {
  private final long exported;
  private final long dropped;
  private final long failed;
  private final long queued;
  private final long sdkErrors;
  private final long unpricedCalls;

  /**
   * @param exported records delivered successfully
   * @param dropped records dropped because a queue was full or the SDK was closed
   * @param failed records whose export failed for good (after retries)
   * @param queued records waiting in queues or in an export under way
   * @param sdkErrors internal failures (adapters, exporters, capture) that were contained
   * @param unpricedCalls LLM calls whose model has no known price
   */
  public HeliconeStats(
      long exported, long dropped, long failed, long queued, long sdkErrors, long unpricedCalls) {
    this.exported = exported;
    this.dropped = dropped;
    this.failed = failed;
    this.queued = queued;
    this.sdkErrors = sdkErrors;
    this.unpricedCalls = unpricedCalls;
  }

  public long exported() {
    return exported;
  }

  public long dropped() {
    return dropped;
  }

  public long failed() {
    return failed;
  }

  public long queued() {
    return queued;
  }

  public long sdkErrors() {
    return sdkErrors;
  }

  public long unpricedCalls() {
    return unpricedCalls;
  }

  @Override
  public String toString() {
    return "HeliconeStats{exported="
        + exported
        + ", dropped="
        + dropped
        + ", failed="
        + failed
        + ", queued="
        + queued
        + ", sdkErrors="
        + sdkErrors
        + ", unpricedCalls="
        + unpricedCalls
        + '}';
  }
}
