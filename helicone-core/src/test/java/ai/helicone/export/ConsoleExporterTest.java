package ai.helicone.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.record.HeliconeRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleExporterTest {
  @Test
  void printsALinePerRecordAndTheSessionTreeWhenTheSessionEnds() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleExporter exporter =
        new ConsoleExporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    exporter.export(
        List.of(
            TestRecords.llm("s-1", "/analyze"),
            TestRecords.llm("s-1", "/analyze/summary"),
            TestRecords.trace("s-1", "/analyze", "get-weather")));
    exporter.sessionEnded("s-1", "Document Analyzer");

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("chat gpt-4o-mini-2024-07-18 (openai) 200 420.1ms ttft 120.0ms tokens 12→30")
        .contains("tool get-weather 3.0ms")
        .contains(
            "session \"Document Analyzer\" s-1: 2 call(s), 1 trace(s), 420.0ms, 84 tokens,"
                + " $0.000040")
        .contains("└─ /analyze  ")
        .contains("   └─ /analyze/summary  1 call(s)");
    // The session was forgotten once printed.
    bytes.reset();
    exporter.sessionEnded("s-1", "Document Analyzer");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("0 call(s), 0 trace(s)");
  }

  @Test
  void theTreeListsRecordsAndPathsInTheOrderTheyStarted() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleExporter exporter =
        new ConsoleExporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    HeliconeRecord early = TestRecords.llm("s-2", "/plan");
    HeliconeRecord late =
        TestRecords.trace("s-2", null, "final-tool").toBuilder()
            .startTime(early.startTime().plusSeconds(5))
            .endTime(early.startTime().plusSeconds(6))
            .build();

    exporter.export(List.of(late, early));
    exporter.sessionEnded("s-2", "Ordered");

    String out = bytes.toString(StandardCharsets.UTF_8);
    String tree = out.substring(out.indexOf("session \"Ordered\""));
    assertThat(tree.indexOf("/plan")).isLessThan(tree.indexOf("final-tool"));
    assertThat(tree).contains("└─ tool final-tool");
  }
}
