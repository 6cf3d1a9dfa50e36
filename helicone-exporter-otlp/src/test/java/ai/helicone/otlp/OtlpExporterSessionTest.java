package ai.helicone.otlp;

import static ai.helicone.otlp.OtlpReceiver.attributes;
import static ai.helicone.otlp.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.TraceKind;
import ai.helicone.otlp.internal.Ids;
import ai.helicone.record.HeliconeRecord;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpExporterSessionTest {
  private final OtlpReceiver receiver = new OtlpReceiver();
  private OtlpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  private static long nanos(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Test
  void sessionIsOneTraceWhosePathsFormTheSpanTree() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).metrics(false).build();
    HeliconeRecord root =
        TestRecords.chat().requestModel("m-root").sessionId("s-1").sessionName("Trip").build();
    HeliconeRecord plan =
        TestRecords.chat()
            .requestModel("m-plan")
            .sessionId("s-1")
            .sessionPath("/plan")
            .startTime(TestRecords.T0.plusSeconds(2))
            .endTime(TestRecords.T0.plusSeconds(3))
            .build();
    HeliconeRecord flights =
        TestRecords.trace(TraceKind.TOOL, "find_flights")
            .sessionId("s-1")
            .sessionPath("/plan/flights")
            .startTime(TestRecords.T0.plusSeconds(4))
            .endTime(TestRecords.T0.plusSeconds(6))
            .build();
    HeliconeRecord other = TestRecords.chat().requestModel("m-other").sessionId("s-2").build();

    assertThat(exporter.export(List.of(root, plan, flights, other)).isSuccess()).isTrue();
    exporter.sessionEnded("s-1", "Trip");
    exporter.sessionEnded("s-2", null);

    String trace1 = Ids.sessionTraceId("s-1");
    Span session = receiver.span("session Trip");
    Span planNode = receiver.span("/plan");
    Span flightsNode = receiver.span("/plan/flights");
    assertThat(session.getParentSpanId().isEmpty()).isTrue();
    assertThat(session.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(attributes(session))
        .containsEntry("session.id", "s-1")
        .containsEntry("gen_ai.conversation.id", "s-1")
        .containsEntry("helicone.session.name", "Trip");
    assertThat(attributes(flightsNode)).containsEntry("helicone.session.path", "/plan/flights");
    // Record spans carry the session too, not only the tree's nodes.
    assertThat(attributes(receiver.span("chat m-plan")))
        .containsEntry("session.id", "s-1")
        .containsEntry("gen_ai.conversation.id", "s-1")
        .containsEntry("helicone.session.path", "/plan");
    assertThat(attributes(receiver.span("chat m-root")))
        .containsEntry("helicone.session.name", "Trip");
    for (String name :
        List.of(
            "session Trip",
            "/plan",
            "/plan/flights",
            "chat m-root",
            "chat m-plan",
            "execute_tool find_flights")) {
      assertThat(hex(receiver.span(name).getTraceId())).as(name).isEqualTo(trace1);
    }
    assertThat(receiver.span("chat m-root").getParentSpanId()).isEqualTo(session.getSpanId());
    assertThat(planNode.getParentSpanId()).isEqualTo(session.getSpanId());
    assertThat(receiver.span("chat m-plan").getParentSpanId()).isEqualTo(planNode.getSpanId());
    assertThat(flightsNode.getParentSpanId()).isEqualTo(planNode.getSpanId());
    assertThat(receiver.span("execute_tool find_flights").getParentSpanId())
        .isEqualTo(flightsNode.getSpanId());
    assertThat(hex(session.getSpanId())).isEqualTo(Ids.sessionRootSpanId("s-1"));

    // Nodes cover the earliest start and the latest end of everything below them.
    assertThat(session.getStartTimeUnixNano()).isEqualTo(nanos(TestRecords.T0));
    assertThat(session.getEndTimeUnixNano()).isEqualTo(nanos(TestRecords.T0.plusSeconds(6)));
    assertThat(planNode.getStartTimeUnixNano()).isEqualTo(nanos(TestRecords.T0.plusSeconds(2)));
    assertThat(planNode.getEndTimeUnixNano()).isEqualTo(nanos(TestRecords.T0.plusSeconds(6)));
    assertThat(flightsNode.getStartTimeUnixNano()).isEqualTo(nanos(TestRecords.T0.plusSeconds(4)));

    String trace2 = Ids.sessionTraceId("s-2");
    assertThat(trace2).isNotEqualTo(trace1);
    assertThat(hex(receiver.span("chat m-other").getTraceId())).isEqualTo(trace2);
    assertThat(hex(receiver.span("session").getTraceId())).isEqualTo(trace2);
    assertThat(receiver.spans()).hasSize(8);
  }

  @Test
  void sessionSpansCanBeTurnedOff() {
    exporter =
        OtlpExporter.builder()
            .endpoint(receiver.endpoint())
            .metrics(false)
            .sessionSpans(false)
            .build();
    exporter.export(List.of(TestRecords.chat().sessionId("s-1").sessionPath("/a").build()));
    exporter.sessionEnded("s-1", "Trip");

    assertThat(receiver.spans()).hasSize(1);
    Span span = receiver.spans().get(0);
    assertThat(hex(span.getTraceId())).isEqualTo(Ids.sessionTraceId("s-1"));
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void undeliveredSessionSpansAreSentWithTheNextFlush() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).metrics(false).build();
    exporter.export(List.of(TestRecords.chat().sessionId("s-1").sessionPath("/a").build()));
    receiver.respondNextWith(503);

    exporter.sessionEnded("s-1", "Trip");
    assertThat(receiver.names()).containsExactly("chat gpt-4o");
    assertThat(exporter.flush().isSuccess()).isTrue();

    assertThat(receiver.names()).containsExactlyInAnyOrder("chat gpt-4o", "session Trip", "/a");
  }

  @Test
  void openSessionsAreEmittedOnClose() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).metrics(false).build();
    exporter.export(List.of(TestRecords.chat().sessionId("s-1").sessionPath("/a").build()));

    exporter.close();

    assertThat(receiver.names()).containsExactlyInAnyOrder("chat gpt-4o", "session", "/a");
  }

  @Test
  void applicationSdkGetsTheSameTreeAndIsNotShutDown() {
    CollectingSpanExporter appExporter = new CollectingSpanExporter();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(appExporter))
            .build();
    CollectingMetricReader metricReader = new CollectingMetricReader();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metricReader).build())
            .build();
    exporter = OtlpExporter.builder().openTelemetry(sdk).build();

    HeliconeRecord plan =
        TestRecords.chat().requestModel("m-plan").sessionId("s-1").sessionPath("/plan").build();
    HeliconeRecord loose = TestRecords.chat().requestModel("m-loose").build();
    assertThat(exporter.export(List.of(plan, loose)).isSuccess()).isTrue();
    // Spans of an open session wait for its end: the application's tracer picks the ids.
    assertThat(appExporter.spans).extracting(SpanData::getName).containsExactly("chat m-loose");
    exporter.sessionEnded("s-1", "Trip");
    exporter.close();

    SpanData session = appExporter.span("session Trip");
    SpanData node = appExporter.span("/plan");
    SpanData call = appExporter.span("chat m-plan");
    assertThat(node.getParentSpanId()).isEqualTo(session.getSpanId());
    assertThat(call.getParentSpanId()).isEqualTo(node.getSpanId());
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(call.getStartEpochNanos()).isEqualTo(nanos(plan.startTime()));
    assertThat(call.getEndEpochNanos()).isEqualTo(nanos(plan.endTime()));
    Set<String> traces =
        List.of(session, node, call).stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    assertThat(traces).hasSize(1);
    assertThat(call.getAttributes().asMap().toString()).contains("gen_ai.usage.input_tokens=12");
    assertThat(receiver.requests()).isEmpty();
    MetricData duration =
        metricReader.collect().stream()
            .filter(m -> m.getName().equals("gen_ai.client.operation.duration"))
            .findFirst()
            .orElseThrow();
    // The application's SDK honours the bucket advice too.
    assertThat(duration.getHistogramData().getPoints())
        .allSatisfy(
            p -> assertThat(p.getBoundaries()).hasSize(14).startsWith(0.01).endsWith(81.92));
    assertThat(duration.getHistogramData().getPoints()).hasSize(2);

    assertThat(appExporter.shutdown).isFalse();
    sdk.getTracerProvider().get("app").spanBuilder("still alive").startSpan().end();
    assertThat(appExporter.spans).extracting(SpanData::getName).contains("still alive");
    sdk.close();
  }
}
