package ai.helicone.export;

import ai.helicone.internal.capture.Redaction;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of {@link HeliconeExporter#export}: success, a failure worth retrying (with an
 * optional delay the server asked for), or a final failure. A failure may name the records of the
 * batch that it concerns ({@link #withUndelivered}); the others were delivered. Messages are
 * redacted like every string the SDK lets out. Immutable and thread-safe.
 */
public final class ExportResult {
  /** The three outcomes. */
  public enum Kind {
    SUCCESS,
    RETRYABLE,
    FAILURE
  }

  private static final ExportResult SUCCESS = new ExportResult(Kind.SUCCESS, null, null, 0);
  private static final int ALL = -1;

  private final Kind kind;
  private final String message;
  private final Duration retryAfter;
  private final int failedRecords;
  private final Set<String> undeliveredIds;

  private ExportResult(Kind kind, String message, Duration retryAfter, int failedRecords) {
    this(kind, message, retryAfter, failedRecords, null);
  }

  private ExportResult(
      Kind kind, String message, Duration retryAfter, int failedRecords, Set<String> undelivered) {
    this.kind = kind;
    // Exporters quote server answers and exception messages, which may echo a credential.
    this.message = Redaction.redactText(message);
    this.retryAfter = retryAfter;
    this.failedRecords = failedRecords;
    this.undeliveredIds = undelivered;
  }

  /** Everything in the batch was delivered. */
  public static ExportResult success() {
    return SUCCESS;
  }

  /** Nothing (or not all) was delivered, and trying the batch again may work. */
  public static ExportResult retryable(String message) {
    return new ExportResult(Kind.RETRYABLE, Objects.requireNonNull(message, "message"), null, ALL);
  }

  /** Like {@link #retryable(String)}, waiting at least {@code retryAfter} before the next try. */
  public static ExportResult retryable(String message, Duration retryAfter) {
    return new ExportResult(
        Kind.RETRYABLE,
        Objects.requireNonNull(message, "message"),
        Objects.requireNonNull(retryAfter, "retryAfter"),
        ALL);
  }

  /** The batch cannot be delivered; it is counted as failed and dropped. */
  public static ExportResult failure(String message) {
    return new ExportResult(Kind.FAILURE, Objects.requireNonNull(message, "message"), null, ALL);
  }

  /**
   * Part of the batch was delivered and {@code failedRecords} of its records cannot be; the rest
   * count as exported. Not retried.
   */
  public static ExportResult failure(String message, int failedRecords) {
    if (failedRecords < 1) {
      throw new IllegalArgumentException("failedRecords must be positive: " + failedRecords);
    }
    return new ExportResult(
        Kind.FAILURE, Objects.requireNonNull(message, "message"), null, failedRecords);
  }

  /**
   * This failure, concerning only the records of the batch with these {@linkplain
   * ai.helicone.record.HeliconeRecord#id() ids}; every other record of the batch was delivered. For
   * a retryable result only those records are tried again; for a final failure only those count as
   * failed. Ids that are not in the batch are ignored.
   *
   * @throws IllegalStateException on a success
   */
  public ExportResult withUndelivered(Collection<String> recordIds) {
    if (kind == Kind.SUCCESS) {
      throw new IllegalStateException("a success has no undelivered records");
    }
    Set<String> ids = Set.copyOf(recordIds);
    return new ExportResult(kind, message, retryAfter, ids.isEmpty() ? 0 : ALL, ids);
  }

  /**
   * The ids of the records this failure concerns, as set by {@link #withUndelivered}; null when it
   * concerns the whole batch (or the count given to {@link #failure(String, int)}).
   */
  public Set<String> undeliveredIds() {
    return undeliveredIds;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isSuccess() {
    return kind == Kind.SUCCESS;
  }

  /** What went wrong; null on success. */
  public String message() {
    return message;
  }

  /**
   * How many records of a batch failed for good: 0 on success, the whole batch size for a retryable
   * result or a plain {@link #failure(String)}.
   *
   * @param batchSize the size of the batch this result answers
   */
  public int failedRecords(int batchSize) {
    if (kind == Kind.SUCCESS) {
      return 0;
    }
    if (undeliveredIds != null) {
      return Math.min(undeliveredIds.size(), batchSize);
    }
    return failedRecords == ALL ? batchSize : Math.min(failedRecords, batchSize);
  }

  /** The delay the server asked for before a retry; null when it asked for none. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String toString() {
    return kind == Kind.SUCCESS
        ? "ExportResult{success}"
        : "ExportResult{"
            + kind.name().toLowerCase(java.util.Locale.ROOT)
            + ": "
            + message
            + (retryAfter != null ? ", retryAfter=" + retryAfter : "")
            + '}';
  }
}
