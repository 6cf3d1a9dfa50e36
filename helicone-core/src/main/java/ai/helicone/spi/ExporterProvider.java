package ai.helicone.spi;

import ai.helicone.export.HeliconeExporter;
import java.util.Map;

/**
 * Creates the exporter that {@code HELICONE_EXPORTERS} names, for {@code Helicone.fromEnv()}.
 * Modules that contain an exporter register one with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/ai.helicone.spi.ExporterProvider}), so that naming the exporter is
 * enough once the module is on the class path. Implementations must be thread-safe.
 */
public interface ExporterProvider {
  /** The name used in {@code HELICONE_EXPORTERS}: lower case, such as {@code otlp}. */
  String name();

  /**
   * A new exporter configured from {@code variables}: the process's environment variables, with
   * system properties applied over them ({@code helicone.api.key} as {@code HELICONE_API_KEY},
   * {@code otel.service.name} as {@code OTEL_SERVICE_NAME}).
   *
   * @throws IllegalArgumentException when a value is missing or invalid; the message names the
   *     variable and never contains a secret
   */
  HeliconeExporter create(Map<String, String> variables);
}
