package ai.helicone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Checks that the benchmarks measure what they claim (runs as a unit test; the benchmarks do not):
 * the canned answers pass through the capture and are recorded in full, without a network.
 */
class BenchmarkFixturesTest {

  @Test
  void theInstrumentedCallIsCapturedFromTheCannedAnswer() throws Exception {
    byte[] answer = CannedAnswer.chatCompletion();
    assertThat(answer.length).isBetween(900, 1200);
    InMemoryExporter records = new InMemoryExporter();
    try (Helicone helicone = Helicone.builder().addExporter(records).build()) {
      OkHttpClient client = helicone.instrument(CannedAnswer.client(CannedAnswer.json(answer)));

      byte[] read = CallOverheadBenchmark.call(client, CannedAnswer.chatRequest(false));

      assertThat(read).isEqualTo(answer);
      assertThat(helicone.flush(Duration.ofSeconds(5))).isTrue();
    }
    HeliconeRecord record = records.records().get(0);
    assertThat(records.records()).hasSize(1);
    assertThat(record.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(record.model()).isEqualTo(CannedAnswer.MODEL);
    assertThat(record.response().body().text())
        .isEqualTo(new String(answer, StandardCharsets.UTF_8));
    assertThat(record.request().headers()).doesNotContainValue("Bearer sk-bench-not-a-key");
  }

  @Test
  void thePlainClientReadsTheSameAnswer() throws Exception {
    byte[] answer = CannedAnswer.chatCompletion();

    byte[] read =
        CallOverheadBenchmark.call(
            CannedAnswer.client(CannedAnswer.json(answer)), CannedAnswer.chatRequest(false));

    assertThat(read).isEqualTo(answer);
  }

  @Test
  void theStreamArrivesOneEventPerReadAndIsCapturedWhole() throws Exception {
    byte[] stream = CannedAnswer.chatStream(StreamReadBenchmark.EVENTS);
    assertThat(CannedAnswer.eventEnds(stream)).hasSize(StreamReadBenchmark.EVENTS);
    InMemoryExporter records = new InMemoryExporter();
    List<String> lines = new ArrayList<>();
    try (Helicone helicone = Helicone.builder().addExporter(records).build()) {
      OkHttpClient client =
          helicone.instrument(CannedAnswer.client(CannedAnswer.eventStream(stream)));

      int events =
          StreamReadBenchmark.readEvents(client, CannedAnswer.chatRequest(true), lines::add);

      assertThat(events).isEqualTo(StreamReadBenchmark.EVENTS);
      assertThat(helicone.flush(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(lines).last().isEqualTo("data: [DONE]");
    HeliconeRecord record = records.records().get(0);
    assertThat(record.stream()).isTrue();
    assertThat(record.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(record.response().rawBody()).isEqualTo(new String(stream, StandardCharsets.UTF_8));
    assertThat(record.timeToFirstToken()).isNotNull();
  }

  @Test
  void theEventSourceHandsOutOneEventPerRead() throws Exception {
    byte[] stream = CannedAnswer.chatStream(StreamReadBenchmark.EVENTS);
    int[] ends = CannedAnswer.eventEnds(stream);
    try (okhttp3.Response response =
        CannedAnswer.client(CannedAnswer.eventStream(stream))
            .newCall(CannedAnswer.chatRequest(true))
            .execute()) {
      okio.Buffer sink = new okio.Buffer();
      okio.BufferedSource source = response.body().source();

      long first = source.read(sink, 8192);
      long second = source.read(sink, 8192);

      assertThat(first).isEqualTo(ends[0]);
      assertThat(second).isEqualTo(ends[1] - ends[0]);
    }
  }
}
