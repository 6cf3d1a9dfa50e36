package ai.helicone.export;

import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.SdkDiagnostics;
import java.util.List;

/**
 * Delivers finished records somewhere: a file, the console, Helicone, an OTLP backend.
 *
 * <p>Each exporter registered on {@code Helicone.builder().addExporter(...)} gets its own bounded
 * queue and a single worker thread, so its methods are never called concurrently and never on the
 * application's thread. {@link #export} may block (the worker waits; the application does not), but
 * should bound its own waiting with timeouts. Implementations therefore need not be thread-safe,
 * unless the same instance is registered on several {@code Helicone} instances. Anything thrown
 * from any method, errors included, is caught, counted and logged (redacted); a thrown {@code
 * export} counts as a final failure of the batch. Only a {@link VirtualMachineError} other than
 * {@link StackOverflowError} is rethrown, which ends this exporter's worker.
 *
 * <p>Retries: return {@link ExportResult#retryable} and the pipeline tries the same batch again
 * with exponential backoff and jitter, a bounded number of times. When part of the batch was
 * delivered, name the rest with {@link ExportResult#withUndelivered}: only those are retried.
 *
 * <p>Interruption: when {@code Helicone.close()} times out, the worker is interrupted; an {@code
 * export} that does not return soon after is abandoned and never called again.
 */
public interface HeliconeExporter extends AutoCloseable {

  /**
   * Receives the diagnostics of the {@code Helicone} instance the exporter is added to, for the
   * failures it contains itself; called once, when that instance is built, before any export. The
   * default ignores it.
   */
  default void attach(SdkDiagnostics diagnostics) {}

  /** Delivers a batch of records, in the order they finished. */
  ExportResult export(List<HeliconeRecord> records);

  /**
   * Called after every record of a session that finished before the session was closed has been
   * passed to {@link #export}. The default does nothing.
   *
   * @param sessionId the session's id
   * @param sessionName the session's name, or null
   */
  default void sessionEnded(String sessionId, String sessionName) {}

  /**
   * A stable name for this exporter, used by the durable spool ({@code Helicone.Builder.spool}) to
   * find this exporter's spooled records again after a restart: letters, digits, {@code .}, {@code
   * _} and {@code -}, at most 100 characters. The default, null, makes the spool use the exporter's
   * class name and its position among the exporters of the same class, which is stable as long as
   * the application adds the same exporters in the same order. Give distinct names to exporters of
   * one class whose order can change (two collectors, for example).
   */
  default String spoolName() {
    return null;
  }

  /** Pushes out anything the exporter buffers itself. The default reports success. */
  default ExportResult flush() {
    return ExportResult.success();
  }

  /** Releases the exporter's resources. Called once, after the last export. */
  @Override
  default void close() {}
}
