package ai.helicone.spi;

import java.util.Map;

/**
 * Captures values from the caller's thread when an LLM call is created or a trace starts, such as
 * the active OpenTelemetry span, so that exporters can link records into the application's own
 * traces. The values end up in {@link ai.helicone.record.HeliconeRecord#contextAttributes()}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} or registered on the {@code
 * Helicone} builder. {@link #capture()} runs on the application's thread for every call: it must be
 * fast, must not block, and should return an empty map when it has nothing. Exceptions are caught,
 * counted and logged. Implementations must be thread-safe.
 */
public interface ContextCapturer {
  /** The values to attach; never null. */
  Map<String, String> capture();
}
