package ai.helicone.export.http.internal;

import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.http.CollectorHttpExporter;
import ai.helicone.export.http.HeliconeHttpExporter;
import ai.helicone.spi.ExporterProvider;
import java.util.Map;

/** The exporters of this module that {@code HELICONE_EXPORTERS} can name. */
public final class HttpExporterProviders {
  /** The collector's URL. */
  public static final String COLLECTOR_URL_ENV = "HELICONE_COLLECTOR_URL";

  /** Headers for the collector, {@code name=value} pairs separated by commas. */
  public static final String COLLECTOR_HEADERS_ENV = "HELICONE_COLLECTOR_HEADERS";

  private HttpExporterProviders() {}

  /**
   * {@code helicone}: Helicone's logging API, from {@code HELICONE_API_KEY}, {@code
   * HELICONE_BASE_URL} and {@code HELICONE_REGION}.
   */
  public static final class Helicone implements ExporterProvider {
    @Override
    public String name() {
      return "helicone";
    }

    @Override
    public HeliconeExporter create(Map<String, String> variables) {
      String key = variables.get(HeliconeHttpExporter.API_KEY_ENV);
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            HeliconeHttpExporter.API_KEY_ENV
                + " is not set: set it to your Helicone API key (sk-helicone-...)");
      }
      String region = variables.get(HeliconeHttpExporter.REGION_ENV);
      if (region != null
          && !region.isBlank()
          && !region.trim().equalsIgnoreCase("us")
          && !region.trim().equalsIgnoreCase("eu")) {
        throw new IllegalArgumentException(
            HeliconeHttpExporter.REGION_ENV + "=" + region.trim() + ": expected us or eu");
      }
      // Base URL, region (HELICONE_REGION, or the key's) and routes as the exporter reads them.
      try {
        return HeliconeHttpExporter.fromEnv(variables);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  /**
   * {@code collector}: JSON Lines batches to {@code HELICONE_COLLECTOR_URL}, with the headers of
   * {@code HELICONE_COLLECTOR_HEADERS}.
   */
  public static final class Collector implements ExporterProvider {
    @Override
    public String name() {
      return "collector";
    }

    @Override
    public HeliconeExporter create(Map<String, String> variables) {
      String url = variables.get(COLLECTOR_URL_ENV);
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException(COLLECTOR_URL_ENV + " is not set");
      }
      CollectorHttpExporter.Builder builder;
      try {
        builder = CollectorHttpExporter.builder().url(url.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(COLLECTOR_URL_ENV + ": " + e.getMessage(), e);
      }
      String headers = variables.get(COLLECTOR_HEADERS_ENV);
      if (headers != null && !headers.isBlank()) {
        for (String pair : headers.split(",", -1)) {
          int eq = pair.indexOf('=');
          if (pair.isBlank()) {
            continue;
          }
          if (eq <= 0) {
            // Never echo the pair: it may hold a secret.
            throw new IllegalArgumentException(
                COLLECTOR_HEADERS_ENV + ": expected name=value pairs separated by commas");
          }
          try {
            builder.header(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(COLLECTOR_HEADERS_ENV + ": " + e.getMessage(), e);
          }
        }
      }
      return builder.build();
    }
  }
}
