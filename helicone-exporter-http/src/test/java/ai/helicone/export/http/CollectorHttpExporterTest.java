package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.TraceKind;
import ai.helicone.export.ExportResult;
import ai.helicone.export.RecordJson;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.HeliconeRecord;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CollectorHttpExporterTest {
  @RegisterExtension
  static WireMockExtension collector =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private CollectorHttpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
  }

  private CollectorHttpExporter.Builder builder() {
    return CollectorHttpExporter.builder()
        .url(collector.baseUrl() + "/ingest")
        .header("Authorization", "Bearer collector-secret")
        .header("X-Tenant", "acme")
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  private static List<HeliconeRecord> records(int count) {
    List<HeliconeRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(
          i % 2 == 0
              ? TestRecords.llm().id(UUID.randomUUID().toString()).build()
              : TestRecords.trace(
                  TraceKind.TOOL, "tool-" + i, CapturedBody.json("{\"q\":1}"), null));
    }
    return records;
  }

  @Test
  void postsGzippedJsonLinesWithTheConfiguredHeaders() {
    collector.stubFor(post(anyUrl()).willReturn(ok()));
    exporter = builder().build();
    List<HeliconeRecord> batch = records(3);

    assertThat(exporter.export(batch).isSuccess()).isTrue();

    List<LoggedRequest> sent = collector.findAll(postRequestedFor(anyUrl()));
    assertThat(sent).hasSize(1);
    LoggedRequest request = sent.get(0);
    assertThat(request.getUrl()).isEqualTo("/ingest");
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(request.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer collector-secret");
    assertThat(request.getHeader("X-Tenant")).isEqualTo("acme");
    assertThat(lines(request))
        .containsExactlyElementsOf(batch.stream().map(RecordJson::toJson).toList());
  }

  @Test
  void splitsLargeBatchesAndRetriesOnlyWhatFailed() {
    collector.stubFor(
        post(anyUrl())
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    collector.stubFor(
        post(anyUrl()).inScenario("flaky").whenScenarioStateIs("up").willReturn(ok()));
    exporter = builder().maxRequestBytes(2048).maxConcurrency(1).build();
    List<HeliconeRecord> batch = records(6);

    ExportResult result = exporter.export(batch);

    assertThat(result.isSuccess()).isTrue();
    List<LoggedRequest> sent = collector.findAll(postRequestedFor(anyUrl()));
    assertThat(sent.size()).isGreaterThan(2);
    List<String> delivered = new ArrayList<>();
    sent.stream().skip(1).forEach(r -> delivered.addAll(lines(r)));
    assertThat(delivered)
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(RecordJson::toJson).toList());
    assertThat(exporter.export(batch).isSuccess()).isTrue();
    assertThat(collector.findAll(postRequestedFor(anyUrl()))).hasSameSizeAs(sent);
  }

  @Test
  void aRejectedBatchIsAFailureWithTheServerMessage() {
    collector.stubFor(
        post(anyUrl()).willReturn(aResponse().withStatus(400).withBody("bad schema")));
    exporter = builder().build();

    ExportResult result = exporter.export(records(2));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.FAILURE);
    assertThat(result.message()).contains("rejected a batch (400): bad schema");
    collector.verify(1, postRequestedFor(anyUrl()));
  }

  @Test
  void toStringHidesHeaderValuesAndUrlSecrets() {
    exporter =
        CollectorHttpExporter.builder()
            .url("https://user:pw@collector.example/ingest?token=abc")
            .header("Authorization", "Bearer collector-secret")
            .build();

    assertThat(exporter.toString())
        .contains("https://collector.example/ingest", "Authorization")
        .doesNotContain("collector-secret", "token=abc", "pw");
  }

  @Test
  void invalidHeadersAreRefusedWithoutEchoingTheValue() {
    assertThatThrownBy(() -> CollectorHttpExporter.builder().header("X-Key", "secret\nvalue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> CollectorHttpExporter.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  private static List<String> lines(LoggedRequest request) {
    byte[] body = request.getBody();
    // WireMock may already have decompressed the body; accept both forms.
    if (body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return Arrays.asList(text.split("\n"));
  }
}
