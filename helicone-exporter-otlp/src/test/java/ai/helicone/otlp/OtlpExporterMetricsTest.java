package ai.helicone.otlp;

import static ai.helicone.otlp.OtlpReceiver.attributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpExporterMetricsTest {
  private static final List<Double> TOKEN_BOUNDS =
      List.of(
          1.0,
          4.0,
          16.0,
          64.0,
          256.0,
          1024.0,
          4096.0,
          16384.0,
          65536.0,
          262144.0,
          1048576.0,
          4194304.0,
          16777216.0,
          67108864.0);
  private static final List<Double> DURATION_BOUNDS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  private final OtlpReceiver receiver = new OtlpReceiver();
  private OtlpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  private static Metric metric(String name, OtlpReceiver.Received post) {
    return OtlpReceiver.parseMetrics(post.body)
        .getResourceMetrics(0)
        .getScopeMetrics(0)
        .getMetricsList()
        .stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private Metric metric(String name) {
    List<Metric> found = new ArrayList<>();
    for (Metric m : receiver.metrics()) {
      if (m.getName().equals(name)) {
        found.add(m);
      }
    }
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }

  @Test
  void recordsGenAiClientMetricsWithConventionBuckets() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).serviceName("svc").build();
    HeliconeRecord streamed =
        TestRecords.streamedChat()
            .sessionId("s-1")
            .sessionPath("/a")
            .userId("u-1")
            .property("k", "v")
            .build();
    HeliconeRecord failed =
        TestRecords.chat()
            .userId("u-2")
            .status(RecordStatus.ERROR)
            .response(new CapturedResponse(429, Map.of(), null, null, false, false))
            .usage(null)
            .costUsd(null)
            .build();
    List<HeliconeRecord> batch = List.of(streamed, failed);

    assertThat(exporter.export(batch).isSuccess()).isTrue();
    // A retried batch must not be counted twice.
    assertThat(exporter.export(batch).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();

    Metric tokens = metric("gen_ai.client.token.usage");
    assertThat(tokens.getUnit()).isEqualTo("{token}");
    assertThat(tokens.getHistogram().getDataPointsList()).hasSize(2);
    for (HistogramDataPoint p : tokens.getHistogram().getDataPointsList()) {
      assertThat(p.getExplicitBoundsList()).isEqualTo(TOKEN_BOUNDS);
      assertThat(p.getCount()).isEqualTo(1);
      Map<String, Object> a = attributes(p.getAttributesList());
      assertThat(a)
          .contains(
              entry("gen_ai.operation.name", "chat"),
              entry("gen_ai.provider.name", "openai"),
              entry("gen_ai.request.model", "gpt-4o"),
              entry("gen_ai.response.model", "gpt-4o-2024-08-06"),
              entry("server.address", "api.openai.com"),
              entry("server.port", 443L));
      assertThat(p.getSum()).isEqualTo("input".equals(a.get("gen_ai.token.type")) ? 12.0 : 3.0);
    }
    assertThat(tokens.getHistogram().getDataPointsList())
        .extracting(p -> attributes(p.getAttributesList()).get("gen_ai.token.type"))
        .containsExactlyInAnyOrder("input", "output");

    Metric duration = metric("gen_ai.client.operation.duration");
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(duration.getHistogram().getDataPointsList()).hasSize(2);
    for (HistogramDataPoint p : duration.getHistogram().getDataPointsList()) {
      assertThat(p.getExplicitBoundsList()).isEqualTo(DURATION_BOUNDS);
      assertThat(p.getCount()).isEqualTo(1);
      assertThat(p.getSum()).isEqualTo(1.5);
    }
    assertThat(duration.getHistogram().getDataPointsList())
        .extracting(p -> attributes(p.getAttributesList()).get("error.type"))
        .containsExactlyInAnyOrder(null, "429");

    Metric ttfc = metric("gen_ai.client.operation.time_to_first_chunk");
    assertThat(ttfc.getUnit()).isEqualTo("s");
    assertThat(ttfc.getHistogram().getDataPointsList()).hasSize(1);
    HistogramDataPoint first = ttfc.getHistogram().getDataPoints(0);
    assertThat(first.getExplicitBoundsList()).isEqualTo(DURATION_BOUNDS);
    assertThat(first.getSum()).isEqualTo(0.25);

    Metric cost = metric("helicone.client.cost");
    assertThat(cost.getUnit()).isEqualTo("USD");
    assertThat(cost.getSum().getIsMonotonic()).isTrue();
    assertThat(cost.getSum().getDataPointsList()).hasSize(1);
    NumberDataPoint c = cost.getSum().getDataPoints(0);
    assertThat(c.getAsDouble()).isEqualTo(0.00006);
    assertThat(attributes(c.getAttributesList()))
        .containsOnlyKeys("gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model");

    for (Metric m : receiver.metrics()) {
      List<Map<String, Object>> points = new ArrayList<>();
      m.getHistogram()
          .getDataPointsList()
          .forEach(p -> points.add(attributes(p.getAttributesList())));
      m.getSum().getDataPointsList().forEach(p -> points.add(attributes(p.getAttributesList())));
      for (Map<String, Object> a : points) {
        assertThat(a.keySet())
            .as(m.getName())
            .doesNotContain("session.id", "user.id", "gen_ai.conversation.id")
            .noneMatch(k -> k.startsWith("helicone."));
      }
    }
    Map<String, Object> resource =
        attributes(
            OtlpReceiver.parseMetrics(receiver.requests("/v1/metrics").get(0).body)
                .getResourceMetrics(0)
                .getResource()
                .getAttributesList());
    assertThat(resource).containsEntry("service.name", "svc");
  }

  @Test
  void metricsArePostedOnlyWhenSomethingWasRecordedSinceTheLastDelivery() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).build();
    exporter.export(List.of(TestRecords.chat().build()));

    assertThat(exporter.flush().isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();
    exporter.export(List.of(TestRecords.trace(ai.helicone.TraceKind.TOOL, "lookup").build()));
    assertThat(exporter.flush().isSuccess()).isTrue();
    assertThat(receiver.requests("/v1/metrics")).hasSize(1);

    exporter.export(List.of(TestRecords.chat().build()));
    exporter.close();

    List<OtlpReceiver.Received> posts = receiver.requests("/v1/metrics");
    assertThat(posts).hasSize(2);
    // Only the GenAI metrics, never the SDK's own reader telemetry (it appears from the second
    // collection on).
    for (OtlpReceiver.Received post : posts) {
      assertThat(OtlpReceiver.parseMetrics(post.body).getResourceMetrics(0).getScopeMetricsList())
          .extracting(scope -> scope.getScope().getName())
          .containsExactly("ai.helicone.otlp");
    }
    // Cumulative: the last post counts both calls once each.
    assertThat(metric("gen_ai.client.operation.duration", posts.get(1)).getHistogram())
        .satisfies(h -> assertThat(h.getDataPoints(0).getCount()).isEqualTo(2));
  }

  @Test
  void metricExportRetriesAfterOneUnavailableAnswer() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).build();
    exporter.export(List.of(TestRecords.chat().build()));
    receiver.respondNextWith(503);

    assertThat(exporter.flush().isSuccess()).isTrue();

    assertThat(receiver.requests("/v1/metrics"))
        .extracting(r -> r.status)
        .containsExactly(503, 200);
    assertThat(receiver.metrics())
        .extracting(Metric::getName)
        .contains("gen_ai.client.token.usage");
  }

  @Test
  void persistentlyFailingMetricDeliveryMakesFlushRetryable() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).build();
    exporter.export(List.of(TestRecords.chat().build()));
    receiver.respondNextWith(503);
    receiver.respondNextWith(503);
    receiver.respondNextWith(503);

    assertThat(exporter.flush().kind()).isEqualTo(ai.helicone.export.ExportResult.Kind.RETRYABLE);
    assertThat(receiver.requests("/v1/metrics"))
        .extracting(r -> r.status)
        .containsExactly(503, 503, 503);

    // What was not delivered is posted again on the next flush.
    assertThat(exporter.flush().isSuccess()).isTrue();
    assertThat(receiver.requests("/v1/metrics"))
        .extracting(r -> r.status)
        .containsExactly(503, 503, 503, 200);
  }
}
