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
  private final long spooled;
  private final long resent;
  private final long spoolDropped;

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
    this(exported, dropped, failed, queued, sdkErrors, unpricedCalls, 0, 0, 0);
  }

  /**
   * @param exported records delivered successfully
   * @param dropped records dropped because a queue was full or the SDK was closed
   * @param failed records whose export failed for good (after retries)
   * @param queued records waiting in queues or in an export under way
   * @param sdkErrors internal failures (adapters, exporters, capture) that were contained
   * @param unpricedCalls LLM calls whose model has no known price
   * @param spooled records in the durable spool now, waiting to be re-sent
   * @param resent spooled records delivered since this instance started
   * @param spoolDropped records the spool lost: over its size limit, damaged on disk, or refused
   *     for good by the exporter when re-sent
   */
  public HeliconeStats(
      long exported,
      long dropped,
      long failed,
      long queued,
      long sdkErrors,
      long unpricedCalls,
      long spooled,
      long resent,
      long spoolDropped) {
    this.spooled = spooled;
    this.resent = resent;
    this.spoolDropped = spoolDropped;
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

  /**
   * Records in the durable spool now (all exporters), waiting to be re-sent; 0 without a spool. A
   * record moved to the spool leaves {@link #queued()} and is not counted as failed or dropped.
   */
  public long spooled() {
    return spooled;
  }

  /** Spooled records delivered since this instance started (including older runs' records). */
  public long resent() {
    return resent;
  }

  /** Records the spool lost: over its size limit, damaged on disk, or refused when re-sent. */
  public long spoolDropped() {
    return spoolDropped;
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
        + ", spooled="
        + spooled
        + ", resent="
        + resent
        + ", spoolDropped="
        + spoolDropped
        + '}';
  }
}
