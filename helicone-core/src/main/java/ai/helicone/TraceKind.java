package ai.helicone;

/**
 * What a custom trace measures. The kind decides how exporters present the trace. Immutable and
 * thread-safe.
 */
public enum TraceKind {
  /** A tool or function the agent called. */
  TOOL,
  /** A vector store operation (search, insert, update, delete). */
  VECTOR_DB,
  /** A database query. */
  DATABASE,
  /** An HTTP call that is not an LLM call. */
  HTTP,
  /** Anything else. */
  CUSTOM
}
