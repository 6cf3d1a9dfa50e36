package ai.helicone.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.Helicone;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Collects a streamed answer; cancels the stream at the first content when asked. */
final class StreamCollector implements StreamingChatResponseHandler {
  final StringBuilder text = new StringBuilder();
  final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
  final CompletableFuture<Void> cancelled = new CompletableFuture<>();
  private final boolean cancelAtFirstContent;

  StreamCollector(boolean cancelAtFirstContent) {
    this.cancelAtFirstContent = cancelAtFirstContent;
  }

  @Override
  public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
    text.append(partial.text());
    if (cancelAtFirstContent && !partial.text().isEmpty()) {
      context.streamingHandle().cancel();
      cancelled.complete(null);
    }
  }

  @Override
  public void onCompleteResponse(ChatResponse response) {
    done.complete(response);
  }

  @Override
  public void onError(Throwable error) {
    done.completeExceptionally(error);
  }

  /**
   * The one record of a test. A streaming handler hears the last event before LangChain4j has read
   * the body to its end, which is when the call is recorded: so the record is awaited.
   */
  static HeliconeRecord onlyRecord(Helicone helicone, InMemoryExporter exporter) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> helicone.flush(Duration.ofSeconds(5)) && !exporter.records().isEmpty());
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }
}
