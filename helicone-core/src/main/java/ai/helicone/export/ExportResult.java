package ai.helicone.export;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of {@link HeliconeExporter#export}: success, a failure worth retrying (with an
 * optional delay the server asked for), or a final failure. Immutable and thread-safe.
 */
public final class ExportResult {
  /** The three outcomes. */
  public enum Kind {
    SUCCESS,
    RETRYABLE,
    FAILURE
  }

  private static final ExportResult SUCCESS = new ExportResult(Kind.SUCCESS, null, null);

  private final Kind kind;
  private final String message;
  private final Duration retryAfter;

  private ExportResult(Kind kind, String message, Duration retryAfter) {
    this.kind = kind;
    this.message = message;
    this.retryAfter = retryAfter;
  }

  /** Everything in the batch was delivered. */
  public static ExportResult success() {
    return SUCCESS;
  }

  /** Nothing (or not all) was delivered, and trying the batch again may work. */
  public static ExportResult retryable(String message) {
    return new ExportResult(Kind.RETRYABLE, Objects.requireNonNull(message, "message"), null);
  }

  /** Like {@link #retryable(String)}, waiting at least {@code retryAfter} before the next try. */
  public static ExportResult retryable(String message, Duration retryAfter) {
    return new ExportResult(
        Kind.RETRYABLE,
        Objects.requireNonNull(message, "message"),
        Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /** The batch cannot be delivered; it is counted as failed and dropped. */
  public static ExportResult failure(String message) {
    return new ExportResult(Kind.FAILURE, Objects.requireNonNull(message, "message"), null);
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
