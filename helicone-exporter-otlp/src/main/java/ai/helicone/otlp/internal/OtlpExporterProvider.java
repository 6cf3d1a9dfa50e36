package ai.helicone.otlp.internal;

import ai.helicone.export.HeliconeExporter;
import ai.helicone.otlp.OtlpExporter;
import ai.helicone.spi.ExporterProvider;
import java.util.Map;

/**
 * {@code otlp} in {@code HELICONE_EXPORTERS}: configured from the standard {@code OTEL_*}
 * variables.
 */
public final class OtlpExporterProvider implements ExporterProvider {
  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public HeliconeExporter create(Map<String, String> variables) {
    return OtlpExporter.fromEnv(variables);
  }
}
