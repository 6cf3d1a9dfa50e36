package ai.helicone.internal.config;

import ai.helicone.export.ConsoleExporter;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.spi.ExporterProvider;
import java.nio.file.Path;
import java.util.Map;

/** The exporters of helicone-core that {@code HELICONE_EXPORTERS} can name. */
public final class CoreExporterProviders {
  private CoreExporterProviders() {}

  /**
   * {@code jsonl}: a JSON Lines file, {@code HELICONE_JSONL_FILE} or the default file, with raw
   * streams when {@code HELICONE_JSONL_RAW_STREAMS} is true.
   */
  public static final class JsonLines implements ExporterProvider {
    @Override
    public String name() {
      return "jsonl";
    }

    @Override
    public HeliconeExporter create(Map<String, String> variables) {
      String file = variables.get("HELICONE_JSONL_FILE");
      String rawStreams = variables.get("HELICONE_JSONL_RAW_STREAMS");
      boolean withRawStreams;
      try {
        withRawStreams =
            rawStreams != null && !rawStreams.isBlank() && EnvSettings.bool(rawStreams);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "HELICONE_JSONL_RAW_STREAMS=" + rawStreams.trim() + ": " + e.getMessage(), e);
      }
      return JsonLinesExporter.builder()
          .file(
              file == null || file.isBlank()
                  ? JsonLinesExporter.DEFAULT_FILE
                  : Path.of(file.trim()))
          .rawStreams(withRawStreams)
          .build();
    }
  }

  /** {@code console}: records and session trees on standard output. */
  public static final class Console implements ExporterProvider {
    @Override
    public String name() {
      return "console";
    }

    @Override
    public HeliconeExporter create(Map<String, String> variables) {
      return new ConsoleExporter();
    }
  }
}
