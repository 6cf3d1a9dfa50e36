package ai.helicone.record;

/** How a call or trace ended. Immutable and thread-safe. */
public enum RecordStatus {
  /** Completed; for HTTP calls, any response that was read to its end, whatever its status code. */
  SUCCESS,
  /**
   * Failed: a transport error, an error status, an error inside a stream, or a thrown exception.
   */
  ERROR,
  /** The caller closed the response body before its end. */
  CANCELLED;

  /** The lower-case name used in exported JSON. */
  public String wireName() {
    return wireName;
  }

  // Computed once: exporters ask for it on every record.
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);
}
