package ai.helicone.internal.config;

import ai.helicone.Helicone;
import ai.helicone.cost.PriceRegistry;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.Services;
import ai.helicone.internal.export.SpoolSettings;
import ai.helicone.spi.ExporterProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The settings {@code Helicone.fromEnv()} reads: one row per setting, with its variable, builder
 * method and default as README's configuration table shows them. The system property of a variable
 * is its name in lower case with dots ({@code HELICONE_QUEUE_CAPACITY}: {@code
 * helicone.queue.capacity}) and wins over the variable. Exporters' own variables are read by their
 * {@link ExporterProvider}. Thread-safe (immutable).
 */
public final class EnvSettings {
  /** Applies one value to the builder; {@code variables} is the whole merged view. */
  @FunctionalInterface
  public interface Apply {
    void apply(Helicone.Builder builder, String value, Map<String, String> variables);
  }

  /** One setting: add a row to {@link #SETTINGS} and a row to README's table. */
  public record Setting(String variable, String builderMethod, String defaultValue, Apply apply) {
    /** The system property that overrides the variable. */
    public String systemProperty() {
      return propertyName(variable);
    }
  }

  private static Setting row(
      String variable,
      String builderMethod,
      String defaultValue,
      BiConsumer<Helicone.Builder, String> apply) {
    return new Setting(variable, builderMethod, defaultValue, (b, v, all) -> apply.accept(b, v));
  }

  /** The spool size when only its directory is set: 256 MiB. */
  static final long DEFAULT_SPOOL_MAX_BYTES = 256L << 20;

  /** The core settings, in the order they are applied (exporters last). */
  public static final List<Setting> SETTINGS =
      List.of(
          row("HELICONE_ENABLED", "enabled", "true", (b, v) -> b.enabled(bool(v))),
          row("HELICONE_SERVICE_NAME", "serviceName", "(none)", Helicone.Builder::serviceName),
          row(
              "HELICONE_OMIT_REQUEST_BODIES",
              "omitRequestBodies",
              "false",
              (b, v) -> b.omitRequestBodies(bool(v))),
          row(
              "HELICONE_OMIT_RESPONSE_BODIES",
              "omitResponseBodies",
              "false",
              (b, v) -> b.omitResponseBodies(bool(v))),
          row(
              "HELICONE_MAX_CAPTURED_BODY_BYTES",
              "maxCapturedBodyBytes",
              "1048576",
              (b, v) -> b.maxCapturedBodyBytes(integer(v))),
          row(
              "HELICONE_QUEUE_CAPACITY",
              "queueCapacity",
              "2048",
              (b, v) -> b.queueCapacity(integer(v))),
          row("HELICONE_BATCH_SIZE", "batchSize", "512", (b, v) -> b.batchSize(integer(v))),
          row("HELICONE_BATCH_DELAY", "batchDelay", "1s", (b, v) -> b.batchDelay(duration(v))),
          row(
              "HELICONE_MAX_EXPORT_ATTEMPTS",
              "maxExportAttempts",
              "5",
              (b, v) -> b.maxExportAttempts(integer(v))),
          row(
              "HELICONE_CLOSE_TIMEOUT",
              "closeTimeout",
              "10s",
              (b, v) -> b.closeTimeout(duration(v))),
          row(
              "HELICONE_PRICES_FILE",
              "prices",
              "(bundled prices)",
              (b, v) -> b.prices(PriceRegistry.builder().addDefaults().load(Path.of(v)).build())),
          row(
              "HELICONE_MAX_BUFFERED_BYTES",
              "maxBufferedBytes",
              "33554432",
              (b, v) -> b.maxBufferedBytes(Long.parseLong(v.trim()))),
          row(
              "HELICONE_REGISTER_SHUTDOWN_HOOK",
              "registerShutdownHook",
              "true",
              (b, v) -> b.registerShutdownHook(bool(v))),
          row(
              "HELICONE_METRICS_WINDOW",
              "metricsWindow",
              "5m",
              (b, v) -> b.metricsWindow(duration(v))),
          row(
              "HELICONE_METRICS_TOP_KEYS",
              "metricsTopKeys",
              "20",
              (b, v) -> b.metricsTopKeys(integer(v))),
          // The spool takes two values: the directory row applies both, reading the size.
          new Setting("HELICONE_SPOOL_DIR", "spool", "(off)", EnvSettings::spool),
          row(
              "HELICONE_SPOOL_MAX_BYTES",
              "spool",
              String.valueOf(DEFAULT_SPOOL_MAX_BYTES),
              (b, v) -> spoolMaxBytes(v)),
          new Setting("HELICONE_EXPORTERS", "addExporter", "jsonl", EnvSettings::addExporters));

  /**
   * Modules that provide the exporters {@code HELICONE_EXPORTERS} may name, for the message when
   * one is not on the class path.
   */
  private static final Map<String, String> EXPORTER_MODULES =
      Map.of(
          "helicone", "ai.helicone:helicone-exporter-http",
          "collector", "ai.helicone:helicone-exporter-http",
          "otlp", "ai.helicone:helicone-exporter-otlp");

  private EnvSettings() {}

  private static void spool(Helicone.Builder builder, String dir, Map<String, String> variables) {
    String size = variables.get("HELICONE_SPOOL_MAX_BYTES");
    long maxBytes =
        size == null || size.isBlank() ? DEFAULT_SPOOL_MAX_BYTES : spoolMaxBytes(size.trim());
    builder.spool(Path.of(dir), maxBytes);
  }

  /** Checked on its own row too, so that a bad value is reported under its own variable. */
  private static long spoolMaxBytes(String value) {
    long bytes = Long.parseLong(value.trim());
    if (bytes < SpoolSettings.MIN_BYTES) {
      throw new IllegalArgumentException("must be at least " + SpoolSettings.MIN_BYTES);
    }
    return bytes;
  }

  /** The system property for a variable: lower case, dots for underscores. */
  public static String propertyName(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /**
   * The environment with the {@code helicone.*} and {@code otel.*} system properties applied over
   * it, as variables ({@code helicone.api.key} becomes {@code HELICONE_API_KEY}).
   */
  public static Map<String, String> merge(Map<String, String> env, Map<String, String> properties) {
    Map<String, String> merged = new HashMap<>(env);
    properties.forEach(
        (name, value) -> {
          if (name.startsWith("helicone.") || name.startsWith("otel.")) {
            merged.put(name.toUpperCase(Locale.ROOT).replace('.', '_'), value);
          }
        });
    return Map.copyOf(merged);
  }

  /** The system properties as strings (non-string entries are skipped). */
  public static Map<String, String> systemProperties() {
    Map<String, String> copy = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      String value = System.getProperty(name);
      if (value != null) {
        copy.put(name, value);
      }
    }
    return copy;
  }

  /**
   * Applies every setting present in {@code variables} (blank values count as absent) to the
   * builder.
   *
   * @throws IllegalArgumentException naming the variable (or system property) whose value is bad
   */
  public static void apply(
      Helicone.Builder builder, Map<String, String> variables, Map<String, String> properties) {
    for (Setting setting : SETTINGS) {
      String value = variables.get(setting.variable());
      if (value == null || value.isBlank()) {
        continue;
      }
      if (setting.variable().equals("HELICONE_EXPORTERS")
          && !bool(variables.getOrDefault("HELICONE_ENABLED", "true"))) {
        continue; // disabled: no exporter, so no thread and no connection
      }
      try {
        setting.apply().apply(builder, value.trim(), variables);
      } catch (RuntimeException e) {
        String source =
            properties.containsKey(setting.systemProperty())
                ? "system property " + setting.systemProperty()
                : setting.variable();
        throw new IllegalArgumentException(source + "=" + value.trim() + ": " + e.getMessage(), e);
      }
    }
  }

  private static void addExporters(
      Helicone.Builder builder, String names, Map<String, String> variables) {
    Map<String, ExporterProvider> providers = new LinkedHashMap<>();
    for (ExporterProvider provider : Services.load(ExporterProvider.class, new Diagnostics())) {
      providers.putIfAbsent(provider.name().toLowerCase(Locale.ROOT), provider);
    }
    List<HeliconeExporter> created = new ArrayList<>();
    try {
      for (String part : names.split(",", -1)) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          continue;
        }
        ExporterProvider provider = providers.get(name);
        if (provider == null) {
          String module = EXPORTER_MODULES.get(name);
          throw new IllegalArgumentException(
              module != null
                  ? "the exporter '" + name + "' needs the module " + module + " on the class path"
                  : "unknown exporter '"
                      + name
                      + "'; known: "
                      + String.join(", ", known(providers)));
        }
        try {
          created.add(provider.create(variables));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "exporter '" + name + "' could not be created: " + e.getMessage(), e);
        }
      }
    } catch (RuntimeException e) {
      created.forEach(EnvSettings::closeQuietly);
      throw e;
    }
    created.forEach(builder::addExporter);
  }

  private static List<String> known(Map<String, ExporterProvider> providers) {
    List<String> names = new ArrayList<>(providers.keySet());
    EXPORTER_MODULES.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
    names.sort(null);
    return names;
  }

  private static void closeQuietly(HeliconeExporter exporter) {
    try {
      exporter.close();
    } catch (RuntimeException e) {
      // Already failing with a clearer message; the half-built exporter just must not leak.
    }
  }

  /** {@code true} or {@code false}, in any case. */
  public static boolean bool(String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false");
  }

  /** A whole number. */
  public static int integer(String value) {
    try {
      return Integer.parseInt(value.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number", e);
    }
  }

  /**
   * A duration: {@code 500ms}, {@code 2s}, {@code 1m}, an ISO-8601 duration ({@code PT2S}), or a
   * number of milliseconds.
   */
  public static Duration duration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 1m or PT2S", e);
    }
  }
}
