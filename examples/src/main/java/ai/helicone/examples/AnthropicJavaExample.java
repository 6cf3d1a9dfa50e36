package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeSession;
import ai.helicone.anthropicjava.HeliconeAnthropicHttpClient;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The official anthropic-java client recorded by Helicone: a plain, an async and a streamed call
 * with prompt-cache reads and writes, inside a session, against a local Anthropic-shaped server.
 * Prints each record's model, tokens, cost and time to first token.
 */
public final class AnthropicJavaExample {
  private static final String MESSAGE =
      "{\"id\":\"msg_01Example\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"Refunds are accepted within 30 days.\"}],\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
          + "\"cache_creation_input_tokens\":1200,\"cache_read_input_tokens\":3000,"
          + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":200,"
          + "\"ephemeral_1h_input_tokens\":1000},\"output_tokens\":15}}";

  private static final String STREAM =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
          + "\"msg_01Stream\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
          + "\"usage\":{\"input_tokens\":25,\"cache_read_input_tokens\":4200,"
          + "\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}\n\n"
          + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
          + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Refunds are accepted\"}}\n\n"
          + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\" within 30 days.\"}}\n\n"
          + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
          + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
          + "{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":12}}\n\n"
          + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  private AnthropicJavaExample() {}

  @SuppressWarnings("try") // the session is opened for its effect on the calls inside it
  public static void main(String[] args) throws Exception {
    InMemoryExporter records = new InMemoryExporter();
    try (LocalReceiver plain = LocalReceiver.start(200, "application/json", MESSAGE);
        LocalReceiver streaming = LocalReceiver.start(200, "text/event-stream", STREAM);
        Helicone helicone = Helicone.builder().addExporter(records).build()) {
      // The one line that matters: route the client through Helicone.
      AnthropicClient client =
          AnthropicOkHttpClient.builder()
              .apiKey("sk-ant-example-not-a-real-key")
              .baseUrl(plain.baseUrl())
              .build()
              .withOptions(HeliconeAnthropicHttpClient.options(helicone));
      MessageCreateParams params =
          MessageCreateParams.builder()
              .model("claude-sonnet-4-5")
              .maxTokens(512)
              .addUserMessage("What is the refund policy?")
              .build();

      try (HeliconeSession session = helicone.session("Support Bot").userId("user-42").start()) {
        Message answer = client.messages().create(params);
        System.out.println("sync:   " + answer.content().get(0).asText().text());

        Message later = client.async().messages().create(params).get(60, TimeUnit.SECONDS);
        System.out.println("async:  " + later.content().get(0).asText().text());

        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream =
            client
                .withOptions(o -> o.baseUrl(streaming.baseUrl()))
                .messages()
                .createStreaming(params)) {
          stream.stream()
              .forEach(
                  e ->
                      e.contentBlockDelta()
                          .flatMap(d -> d.delta().text())
                          .ifPresent(t -> text.append(t.text())));
        }
        System.out.println("stream: " + text);
      }
      client.close();

      helicone.flush(Duration.ofSeconds(10));
      for (HeliconeRecord r : records.records()) {
        System.out.printf(
            "%s %s %s stream=%s user=%s session=%s in=%d (cache read %d, written %d) out=%d"
                + " cost=$%s ttft=%s%n",
            r.status().name().toLowerCase(java.util.Locale.ROOT),
            r.provider(),
            r.model(),
            r.stream(),
            r.userId(),
            r.sessionName(),
            r.usage().inputTokens(),
            r.usage().cachedInputTokens(),
            r.usage().cacheWriteTokens(),
            r.usage().outputTokens(),
            r.costUsd().toPlainString(),
            r.timeToFirstToken() == null ? "-" : r.timeToFirstToken().toMillis() + "ms");
      }
    }
  }
}
