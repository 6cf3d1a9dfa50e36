package ai.helicone.spi;

/**
 * Where a {@link ProviderAdapter} or an exporter reports failures it contains, so that they are
 * counted in {@code Helicone.stats().sdkErrors()} and logged through {@link System.Logger} (logger
 * {@code ai.helicone}), at most once a minute for each kind. Messages must not contain secrets.
 *
 * <p>{@code Helicone} hands its own instance to each adapter and exporter through their {@code
 * attach} method when it is built. Thread-safe.
 */
public interface SdkDiagnostics {
  /**
   * Counts a contained failure and logs it unless the same kind was logged within the last minute.
   *
   * @param kind a short key grouping failures of the same cause, such as {@code otlp.mapping}
   * @param message what failed and what the SDK did about it
   * @param cause the exception, or null
   */
  void error(String kind, String message, Throwable cause);

  /** Logs a condition that is not an SDK failure (a rejected export, say), rate-limited by kind. */
  void warn(String kind, String message);
}
