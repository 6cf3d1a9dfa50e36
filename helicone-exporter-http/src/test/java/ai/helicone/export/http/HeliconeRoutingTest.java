package ai.helicone.export.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.HeliconeStats;
import ai.helicone.export.ExportResult;
import ai.helicone.export.http.HeliconeHttpExporter.Region;
import ai.helicone.export.http.HeliconeReceiver.Row;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What Helicone would show for each provider of the README's table, checked against a receiver that
 * applies Helicone's routing and pricing rules.
 */
class HeliconeRoutingTest {
  /** One row of the README's provider table: record provider id, a model, Helicone's name. */
  private record Case(String provider, String model, String heliconeName, String format) {}

  private static final List<Case> TABLE =
      List.of(
          new Case("openai", "gpt-4o-mini", "OPENAI", "openai"),
          new Case("openai-compatible", "gpt-4o-2024-08-06", "OPENAI", "openai"),
          new Case("azure", "gpt-4o", "AZURE", "openai"),
          new Case("anthropic", "claude-sonnet-4-20250514", "ANTHROPIC", "anthropic"),
          new Case("gemini", "gemini-2.5-flash", "GOOGLE", "google"),
          new Case("vertex_ai", "gemini-2.0-flash-001", "GOOGLE", "google"),
          new Case("groq", "llama-3.3-70b-versatile", "GROQ", "openai"),
          new Case("deepseek", "deepseek-chat", "DEEPSEEK", "openai"),
          new Case("openrouter", "openai/gpt-4o-mini", "OPENROUTER", "openai"),
          new Case("xai", "grok-3-mini", "X", "openai"),
          new Case("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "TOGETHER", "openai"),
          new Case(
              "fireworks",
              "accounts/fireworks/models/llama-v3p1-8b-instruct",
              "FIREWORKS",
              "openai"),
          new Case("mistral", "mistral-large-latest", "MISTRAL", "openai"),
          new Case("perplexity", "sonar", "PERPLEXITY", "openai"),
          new Case("cerebras", "llama3.1-8b", "CEREBRAS", "openai"),
          new Case("nebius", "meta-llama/Meta-Llama-3.1-8B-Instruct", "NEBIUS", "openai"),
          new Case("novita", "deepseek/deepseek-v3-0324", "NOVITA", "openai"),
          new Case(
              "deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "DEEPINFRA", "openai"),
          new Case("cohere", "command-r-plus", "COHERE", "openai"),
          new Case("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0", "BEDROCK", "openai"));

  private final HeliconeReceiver receiver = new HeliconeReceiver();
  private HeliconeHttpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void everyProviderOfTheTableIsShownWithItsNameAndPriced(Region region) {
    exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-test")
            .region(region)
            .baseUrl(receiver.url())
            .providerRoutes(region == Region.US)
            .build();
    List<HeliconeRecord> records = new ArrayList<>();
    for (Case c : TABLE) {
      records.add(record(c, false));
      records.add(record(c, true));
    }

    assertThat(exporter.export(records).isSuccess()).isTrue();

    List<Row> rows = receiver.rows();
    assertThat(rows).hasSize(records.size());
    for (Case c : TABLE) {
      List<Row> ofProvider =
          rows.stream().filter(r -> r.model() != null && r.model().equals(c.model())).toList();
      assertThat(ofProvider).as(c.provider()).hasSize(2);
      for (Row row : ofProvider) {
        assertThat(row.provider()).as(c.provider()).isEqualTo(c.heliconeName());
        assertThat(row.cost()).as(c.provider() + " cost").isNotNull().isPositive();
        assertThat(row.promptTokens()).as(c.provider()).isEqualTo(1200);
        assertThat(row.timeToFirstToken()).as(c.provider()).isEqualTo(300);
        if (region == Region.EU) {
          assertThat(row.path()).isEqualTo("/v1/trace/custom/v1/log");
        }
      }
    }
  }

  @Test
  void usRoutesOpenAiAnthropicAndGoogleToTheWorkerAndTheRestToTheApiHost() {
    exporter =
        HeliconeHttpExporter.builder().apiKey("sk-helicone-test").baseUrl(receiver.url()).build();
    List<HeliconeRecord> records = TABLE.stream().map(c -> record(c, false)).toList();

    assertThat(exporter.export(records).isSuccess()).isTrue();

    for (Row row : receiver.rows()) {
      String expected =
          switch (row.provider()) {
            case "OPENAI" -> "/oai/v1/log";
            case "ANTHROPIC" -> "/anthropic/v1/log";
            case "GOOGLE" -> "/googleapis/v1/log";
            default -> "/v1/trace/custom/v1/log";
          };
      assertThat(row.path()).as(row.provider()).isEqualTo(expected);
    }
  }

  @Test
  void selfHostedAndUnknownProvidersAreDeliveredWithoutAPrice() {
    exporter =
        HeliconeHttpExporter.builder().apiKey("sk-helicone-test").baseUrl(receiver.url()).build();
    List<HeliconeRecord> records =
        List.of(
            record(new Case("ollama", "llama3.2", "LOCAL", "openai"), false),
            record(new Case("vllm", "qwen2.5-7b", "LOCAL", "openai"), false),
            record(new Case("my-gateway", "house-model", "OPENAI", "openai"), false),
            record(new Case("my-rpc", "house-model-2", "CUSTOM", "openai"), false).toBuilder()
                .request(
                    new CapturedRequest(
                        "https://rpc.example/generate",
                        "POST",
                        Map.of(),
                        CapturedBody.json("{\"model\":\"house-model-2\"}"),
                        false,
                        false))
                .build());

    assertThat(exporter.export(records).isSuccess()).isTrue();

    // Self-hosted servers show as LOCAL; an unknown OpenAI-format host as OPENAI, anything else
    // as CUSTOM: all delivered, none priced (Helicone has no price for these models).
    assertThat(receiver.rows())
        .extracting(Row::provider)
        .containsExactlyInAnyOrder("LOCAL", "LOCAL", "OPENAI", "CUSTOM");
    assertThat(receiver.rows()).allSatisfy(r -> assertThat(r.cost()).isNull());
  }

  @Test
  void aStoredErrorIsAFailureReportedWithHeliconesMessageAndNeverCountedAsExported() {
    receiver.failStorage("could not insert into clickhouse: invalid model", 1_000);
    HeliconeHttpExporter http =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-test")
            .baseUrl(receiver.url())
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .build();

    ExportResult direct = http.export(List.of(TestRecords.plainCall()));
    assertThat(direct.kind()).isEqualTo(ExportResult.Kind.FAILURE);
    assertThat(direct.message()).contains("could not insert into clickhouse: invalid model");
    // Not transient: sent once, not retried.
    assertThat(receiver.requestCount()).isEqualTo(1);

    try (Helicone helicone =
        Helicone.builder().addExporter(http).batchDelay(Duration.ofMillis(10)).build()) {
      for (int i = 0; i < 5; i++) {
        helicone.trace("step-" + i).call(() -> "done");
      }
      helicone.flush(Duration.ofSeconds(30));
      HeliconeStats stats = helicone.stats();
      assertThat(stats.exported()).isZero();
      assertThat(stats.failed()).isEqualTo(5);
    }
  }

  @Test
  void aTransientStoredErrorIsRetried() {
    receiver.failStorage("timeout writing to the queue, try again", 2);
    exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-test")
            .baseUrl(receiver.url())
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .build();

    assertThat(exporter.export(List.of(TestRecords.plainCall())).isSuccess()).isTrue();

    assertThat(receiver.requestCount()).isEqualTo(3);
    assertThat(receiver.rows()).hasSize(1);
  }

  @Test
  void closeDeliversTwoThousandQueuedRecordsToASlowishEndpoint() {
    receiver.latency(Duration.ofMillis(20));
    HeliconeHttpExporter http =
        HeliconeHttpExporter.builder().apiKey("sk-helicone-test").baseUrl(receiver.url()).build();
    Helicone helicone =
        Helicone.builder()
            .addExporter(http)
            .queueCapacity(4096)
            .closeTimeout(Duration.ofSeconds(60))
            .build();
    for (int i = 0; i < 2_000; i++) {
      helicone.trace("step-" + i).call(() -> "done");
    }

    helicone.close();

    assertThat(receiver.rows()).hasSize(2_000);
    assertThat(helicone.stats().exported()).isEqualTo(2_000);
    assertThat(helicone.stats().failed()).isZero();
  }

  /** A record of the case's provider, answered in its own format, plain or streamed. */
  private static HeliconeRecord record(Case c, boolean stream) {
    String url = "https://llm.example/" + c.provider() + "/v1/chat/completions";
    String request =
        "{\"model\":\"" + c.model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    String response;
    String sse;
    switch (c.format()) {
      case "anthropic" -> {
        response =
            "{\"type\":\"message\",\"model\":\""
                + c.model()
                + "\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],"
                + "\"usage\":{\"input_tokens\":1200,\"output_tokens\":300}}";
        sse =
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\""
                + c.model()
                + "\",\"usage\":{\"input_tokens\":1200,\"output_tokens\":1}}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\","
                + "\"usage\":{\"output_tokens\":300}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
      }
      case "google" -> {
        response =
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}]}}],\"modelVersion\":\""
                + c.model()
                + "\",\"usageMetadata\":{\"promptTokenCount\":1200,\"candidatesTokenCount\":300}}";
        sse = "data: " + response + "\n\n";
      }
      default -> {
        response =
            "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\""
                + c.model()
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":300,"
                + "\"total_tokens\":1500}}";
        sse =
            "data: {\"model\":\""
                + c.model()
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n"
                + "data: {\"model\":\""
                + c.model()
                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":1200,"
                + "\"completion_tokens\":300,\"total_tokens\":1500}}\n\n"
                + "data: [DONE]\n\n";
      }
    }
    return TestRecords.llm()
        .id(UUID.randomUUID().toString())
        .provider(c.provider())
        .model(c.model())
        .requestModel(c.model())
        .stream(stream)
        .status(RecordStatus.SUCCESS)
        .request(
            new CapturedRequest(
                url,
                "POST",
                Map.of(),
                CapturedBody.json(stream ? request.replace("}]}", "}],\"stream\":true}") : request),
                false,
                false))
        .response(
            new CapturedResponse(
                200, Map.of(), CapturedBody.json(response), stream ? sse : null, false, false))
        .build();
  }
}
