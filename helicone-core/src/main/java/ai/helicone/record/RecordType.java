package ai.helicone.record;

/** Whether a record describes an LLM call or a custom trace. Immutable and thread-safe. */
public enum RecordType {
  /** An HTTP call to an LLM provider captured by the OkHttp instrumentation. */
  LLM,
  /** A custom trace: a tool call, a vector search, a database query. */
  TRACE;

  /** The lower-case name used in exported JSON. */
  public String wireName() {
    return wireName;
  }

  // Computed once: exporters ask for it on every record.
  private final String wireName = name().toLowerCase(java.util.Locale.ROOT);
}
