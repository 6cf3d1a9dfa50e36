package ai.helicone.otlp;

import static ai.helicone.otlp.OtlpReceiver.attributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.TraceKind;
import ai.helicone.export.ExportResult;
import ai.helicone.internal.Diagnostics;
import ai.helicone.otlp.internal.OtelVersionsProbe;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Helicone-compatible mode, the two sets of GenAI names, what the token metric counts, how OTLP
 * answers are classified, that failures are reported quietly, and the OpenTelemetry version check.
 */
class OtlpConventionsAndDeliveryTest {
  private final OtlpReceiver receiver = new OtlpReceiver();
  private OtlpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  private OtlpExporter.Builder builder() {
    return OtlpExporter.builder().endpoint(receiver.endpoint()).metricInterval(Duration.ofHours(1));
  }

  @Test
  void heliconeCompatibleModeSendsLlmCallsOnlyWithHeliconesProviderNames() {
    exporter = builder().heliconeCompatible(true).build();
    exporter.export(
        List.of(
            TestRecords.chat()
                .provider("groq")
                .requestModel("llama-3.3-70b")
                .sessionId("s")
                .build(),
            TestRecords.chat().provider("xai").requestModel("grok-3").build(),
            TestRecords.chat().provider("vertex_ai").requestModel("gemini-2.5-flash").build(),
            TestRecords.trace(TraceKind.TOOL, "get_weather").sessionId("s").build(),
            TestRecords.trace(TraceKind.VECTOR_DB, "search-docs").build()));
    exporter.sessionEnded("s", "Trip");

    List<Span> spans = receiver.spans();
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder("chat llama-3.3-70b", "chat grok-3", "chat gemini-2.5-flash");
    assertThat(attributes(receiver.span("chat llama-3.3-70b")))
        .containsEntry("gen_ai.system", "GROQ");
    assertThat(attributes(receiver.span("chat grok-3"))).containsEntry("gen_ai.system", "X");
    assertThat(attributes(receiver.span("chat gemini-2.5-flash")))
        .containsEntry("gen_ai.system", "GOOGLE");
  }

  @Test
  void defaultNamesFollowTheReleaseAndTheOptInSwitchesToTheNewest() {
    exporter = builder().build();
    exporter.export(List.of(TestRecords.chat().build()));
    assertThat(attributes(receiver.spans().get(0)))
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 2L)
        .doesNotContainKey("gen_ai.usage.cache_write.input_tokens");
    exporter.flush();
    assertThat(metricNames()).contains("gen_ai.client.token.usage");
    exporter.close();

    OtlpReceiver latest = new OtlpReceiver();
    try {
      exporter =
          OtlpExporter.builder()
              .environment(
                  Map.of(
                      "OTEL_EXPORTER_OTLP_ENDPOINT",
                      latest.endpoint(),
                      "OTEL_SEMCONV_STABILITY_OPT_IN",
                      "http,gen_ai_latest_experimental"))
              .build();
      exporter.export(List.of(TestRecords.chat().build()));
      assertThat(attributes(latest.spans().get(0)))
          .containsEntry("gen_ai.usage.cache_write.input_tokens", 2L)
          .doesNotContainKey("gen_ai.usage.cache_creation.input_tokens");
      exporter.flush();
      List<String> names = new ArrayList<>();
      latest.metrics().forEach(m -> names.add(m.getName()));
      assertThat(names)
          .contains(
              "gen_ai.client.inference.usage.input_tokens",
              "gen_ai.client.inference.usage.output_tokens")
          .doesNotContain("gen_ai.client.token.usage");
    } finally {
      exporter.close();
      exporter = null;
      latest.close();
    }
  }

  @Test
  void estimatedAndFailedCallsStayOutOfTheTokenMetricUnlessAskedFor() {
    HeliconeRecord estimated =
        TestRecords.chat()
            .usage(Usage.builder().inputTokens(100L).outputTokens(10L).estimated(true).build())
            .build();
    HeliconeRecord failed = TestRecords.chat().status(RecordStatus.ERROR).error("HTTP 500").build();
    HeliconeRecord ok = TestRecords.chat().build();

    exporter = builder().build();
    exporter.export(List.of(estimated, failed, ok));
    exporter.flush();
    assertThat(tokenSamples()).isEqualTo(2); // input and output of the one reported call
    assertThat(attributes(receiver.spans().get(0)).get("helicone.usage.estimated")).isNotNull();
    exporter.close();

    OtlpReceiver all = new OtlpReceiver();
    try {
      exporter =
          OtlpExporter.builder()
              .endpoint(all.endpoint())
              .tokenUsageOfEstimatedAndFailedCalls(true)
              .build();
      exporter.export(List.of(estimated, failed, ok));
      exporter.flush();
      long count = 0;
      for (Metric m : all.metrics()) {
        if (m.getName().equals("gen_ai.client.token.usage")) {
          count += m.getHistogram().getDataPointsList().stream().mapToLong(p -> p.getCount()).sum();
        }
      }
      assertThat(count).isEqualTo(6);
    } finally {
      exporter.close();
      exporter = null;
      all.close();
    }
  }

  private long tokenSamples() {
    long count = 0;
    for (Metric m : receiver.metrics()) {
      if (m.getName().equals("gen_ai.client.token.usage")) {
        count += m.getHistogram().getDataPointsList().stream().mapToLong(p -> p.getCount()).sum();
      }
    }
    return count;
  }

  private List<String> metricNames() {
    List<String> names = new ArrayList<>();
    receiver.metrics().forEach(m -> names.add(m.getName()));
    return names;
  }

  @Test
  void aClientErrorIsFinalAndNotSentAgain() {
    exporter = builder().metrics(false).build();
    receiver.respondNextWith(413);

    ExportResult result = exporter.export(List.of(TestRecords.chat().build()));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.FAILURE);
    assertThat(result.message()).contains("413");
    assertThat(receiver.requests("/v1/traces")).hasSize(1);
  }

  @Test
  void tooManyRequestsIsRetryableWithTheServersDelayCappedAtFiveMinutes() {
    exporter = builder().metrics(false).build();
    receiver.respondNextWith(429, "7");
    receiver.respondNextWith(503, "86400");
    receiver.respondNextWith(408);

    ExportResult first = exporter.export(List.of(TestRecords.chat().build()));
    ExportResult second = exporter.export(List.of(TestRecords.chat().build()));
    ExportResult third = exporter.export(List.of(TestRecords.chat().build()));

    assertThat(first.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(second.retryAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(third.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(third.retryAfter()).isNull();
  }

  @Test
  void failuresAreLoggedOncePerCauseAsTheSdksOwnNotByOpenTelemetry() {
    List<LogRecord> otel = new ArrayList<>();
    List<LogRecord> ours = new ArrayList<>();
    Map<String, Handler> handlers = new LinkedHashMap<>();
    handlers.put("io.opentelemetry", collect(otel));
    handlers.put("ai.helicone", collect(ours));
    List<Logger> loggers = new ArrayList<>();
    handlers.forEach(
        (name, h) -> {
          Logger l = Logger.getLogger(name);
          l.addHandler(h);
          loggers.add(l);
        });
    try {
      // Nothing listens on port 1 of loopback.
      exporter =
          OtlpExporter.builder()
              .endpoint("http://127.0.0.1:1")
              .timeout(Duration.ofSeconds(2))
              .build();
      exporter.attach(new Diagnostics());
      for (int i = 0; i < 5; i++) {
        assertThat(exporter.export(List.of(TestRecords.chat().build())).kind())
            .isEqualTo(ExportResult.Kind.RETRYABLE);
      }
      exporter.flush();
      exporter.close();
      exporter = null;

      assertThat(otel).extracting(r -> r.getLoggerName() + ": " + r.getMessage()).isEmpty();
      assertThat(ours.stream().filter(r -> r.getMessage().contains("OTLP span export failed")))
          .hasSize(1);
      assertThat(ours).allSatisfy(r -> assertThat(r.getThrown()).isNull());
    } finally {
      for (int i = 0; i < loggers.size(); i++) {
        loggers.get(i).removeHandler(new ArrayList<>(handlers.values()).get(i));
      }
    }
  }

  private static Handler collect(List<LogRecord> into) {
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            synchronized (into) {
              into.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    h.setLevel(Level.ALL);
    return h;
  }

  @Test
  void anUnsupportedOpenTelemetryFailsWithAMessageNamingTheSupportedVersions() {
    // The class path of this build passes.
    OtelVersionsProbe.requireSupported();

    assertThatThrownBy(
            () -> OtelVersionsProbe.check(Map.of("opentelemetry-api", "1.40.0"), name -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1.44.1 to 1.68.0")
        .hasMessageContaining("opentelemetry-api 1.40.0 is older than 1.44.1");
    assertThatThrownBy(
            () ->
                OtelVersionsProbe.check(
                    Map.of("opentelemetry-api", "1.68.0", "opentelemetry-sdk-common", "1.50.0"),
                    name -> true))
        .hasMessageContaining("mixed versions");
    assertThatThrownBy(
            () ->
                OtelVersionsProbe.check(
                    Map.of(), name -> !name.contains("setExplicitBucketBoundariesAdvice")))
        .hasMessageContaining("missing io.opentelemetry.api.metrics.LongHistogramBuilder");
  }
}
