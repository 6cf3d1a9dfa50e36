package ai.helicone;

/**
 * Counters of the export pipeline, summed over all exporters, at one point in time. A record
 * delivered to two exporters counts twice in the record counts. For each exporter, every record
 * handed to it is counted in exactly one of {@link #exported()}, {@link #dropped()}, {@link
 * #failed()} and {@link #queued()}, or, with a durable spool, moved to the spool: such a record is
 * neither failed nor dropped; the spool counts it in {@link #spooled()} until it is {@link
 * #resent()} or {@link #spoolDropped() lost}. Immutable and thread-safe.
 */
public final class HeliconeStats {
  private final long exported;
  private final long dropped;
  private final long failed;
  private final long queued;
  private final long sdkErrors;
  private final long unpricedCalls;
  private final long unparsedBodies;
  private final long bufferedBytes;
  private final long bufferedBytesHighWater;
  private final long droppedOverBudget;
  private final long spooled;
  private final long resent;
  private final long spoolDropped;

  private HeliconeStats(Builder b) {
    this.exported = b.exported;
    this.dropped = b.dropped;
    this.failed = b.failed;
    this.queued = b.queued;
    this.sdkErrors = b.sdkErrors;
    this.unpricedCalls = b.unpricedCalls;
    this.unparsedBodies = b.unparsedBodies;
    this.bufferedBytes = b.bufferedBytes;
    this.bufferedBytesHighWater = b.bufferedBytesHighWater;
    this.droppedOverBudget = b.droppedOverBudget;
    this.spooled = b.spooled;
    this.resent = b.resent;
    this.spoolDropped = b.spoolDropped;
  }

  /** A new builder, all counters zero. */
  public static Builder builder() {
    return new Builder();
  }

  /** Records delivered successfully. */
  public long exported() {
    return exported;
  }

  /**
   * Records given up without an export attempt: a full queue, the memory budget, a closed SDK, or
   * still queued when a worker had to stop.
   */
  public long dropped() {
    return dropped;
  }

  /** Records whose export failed for good (after retries), or that could not be built. */
  public long failed() {
    return failed;
  }

  /** Records waiting in queues or in an export under way. */
  public long queued() {
    return queued;
  }

  /** Internal failures (adapters, exporters, capture) that were contained. */
  public long sdkErrors() {
    return sdkErrors;
  }

  /** LLM calls whose model has no known price. */
  public long unpricedCalls() {
    return unpricedCalls;
  }

  /**
   * Provider responses whose body could not be parsed (invalid JSON, HTML, binary): their records
   * lack usage and cost.
   */
  public long unparsedBodies() {
    return unparsedBodies;
  }

  /**
   * Bytes held for export now (captured bodies and queued records, each record counted once however
   * many exporters share it).
   */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** The most bytes ever held for export at once. */
  public long bufferedBytesHighWater() {
    return bufferedBytesHighWater;
  }

  /**
   * Records refused because they did not fit in {@code maxBufferedBytes}, and calls left uncaptured
   * while records were being refused (see {@code Helicone.Builder.maxBufferedBytes}); each is also
   * counted in {@link #dropped()} once per exporter.
   */
  public long droppedOverBudget() {
    return droppedOverBudget;
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
    return "HeliconeStats{"
        + "exported="
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
        + ", unparsedBodies="
        + unparsedBodies
        + ", bufferedBytes="
        + bufferedBytes
        + ", bufferedBytesHighWater="
        + bufferedBytesHighWater
        + ", droppedOverBudget="
        + droppedOverBudget
        + ", spooled="
        + spooled
        + ", resent="
        + resent
        + ", spoolDropped="
        + spoolDropped
        + '}';
  }

  /** Builds {@link HeliconeStats}; used by the SDK and by tests. Not thread-safe. */
  public static final class Builder {
    private long exported;
    private long dropped;
    private long failed;
    private long queued;
    private long sdkErrors;
    private long unpricedCalls;
    private long unparsedBodies;
    private long bufferedBytes;
    private long bufferedBytesHighWater;
    private long droppedOverBudget;
    private long spooled;
    private long resent;
    private long spoolDropped;

    private Builder() {}

    public Builder spooled(long v) {
      this.spooled = v;
      return this;
    }

    public Builder resent(long v) {
      this.resent = v;
      return this;
    }

    public Builder spoolDropped(long v) {
      this.spoolDropped = v;
      return this;
    }

    public Builder exported(long v) {
      this.exported = v;
      return this;
    }

    public Builder dropped(long v) {
      this.dropped = v;
      return this;
    }

    public Builder failed(long v) {
      this.failed = v;
      return this;
    }

    public Builder queued(long v) {
      this.queued = v;
      return this;
    }

    public Builder sdkErrors(long v) {
      this.sdkErrors = v;
      return this;
    }

    public Builder unpricedCalls(long v) {
      this.unpricedCalls = v;
      return this;
    }

    public Builder unparsedBodies(long v) {
      this.unparsedBodies = v;
      return this;
    }

    public Builder bufferedBytes(long v) {
      this.bufferedBytes = v;
      return this;
    }

    public Builder bufferedBytesHighWater(long v) {
      this.bufferedBytesHighWater = v;
      return this;
    }

    public Builder droppedOverBudget(long v) {
      this.droppedOverBudget = v;
      return this;
    }

    public HeliconeStats build() {
      return new HeliconeStats(this);
    }
  }
}
