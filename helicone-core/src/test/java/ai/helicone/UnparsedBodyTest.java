package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Bodies no adapter can read are counted, logged once per cause, and named in the record. */
class UnparsedBodyTest {
  @Test
  void unparsableBodiesAreCountedLoggedOncePerCauseAndExplainedInTheRecord() throws Exception {
    InMemoryExporter exporter = new InMemoryExporter();
    try (LoopbackLlm llm = LoopbackLlm.queued();
        LogCapture log = new LogCapture();
        Helicone helicone =
            Helicone.builder()
                .registerShutdownHook(false)
                .batchDelay(Duration.ZERO)
                .addExporter(exporter)
                .build()) {
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      for (int i = 0; i < 3; i++) {
        llm.server.enqueue(
            new MockResponse()
                .setHeader("Content-Type", "text/html")
                .setBody("<html><body>Welcome to nginx</body></html>"));
      }
      llm.server.enqueue(
          new MockResponse()
              .setHeader("Content-Type", "application/json")
              .setBody("{\"model\": \"gpt-4o\", \"usage\": {"));
      llm.server.enqueue(
          new MockResponse()
              .setHeader("Content-Type", "application/octet-stream")
              .setBody(new Buffer().write(new byte[] {0, 1, 2, (byte) 0xff, 0})));
      llm.server.enqueue(
          new MockResponse().setResponseCode(502).setBody("<html>Bad gateway</html>"));
      for (int i = 0; i < 6; i++) {
        LoopbackLlm.call(client, llm.chat());
      }
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();

      List<HeliconeRecord> records = exporter.records();
      assertThat(records).hasSize(6);
      assertThat(records.subList(0, 5)).allMatch(r -> r.status() == RecordStatus.SUCCESS);
      assertThat(records.get(0).parseError()).isEqualTo("HTML instead of JSON");
      assertThat(records.get(3).parseError()).isEqualTo("invalid JSON");
      assertThat(records.get(4).parseError()).isEqualTo("binary data instead of JSON");
      // An error answer is recorded as an error from its status; its body is not expected to parse.
      assertThat(records.get(5).status()).isEqualTo(RecordStatus.ERROR);
      assertThat(records.get(5).parseError()).isNull();

      assertThat(helicone.stats().unparsedBodies()).isEqualTo(5);
      assertThat(log.messages()).filteredOn(m -> m.contains("HTML instead of JSON")).hasSize(1);
      assertThat(log.messages()).filteredOn(m -> m.contains("could not be parsed")).hasSize(3);
    }
  }
}
