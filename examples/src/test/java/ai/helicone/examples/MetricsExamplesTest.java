package ai.helicone.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Runs the metrics and budget examples as a user would and checks what they print. */
@Isolated // the examples print to System.out, which these tests redirect
class MetricsExamplesTest {
  @TempDir Path dir;

  private interface Main {
    void run() throws Exception;
  }

  private static String stdout(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    original.print(out);
    return out;
  }

  @Test
  void costByFeaturePrintsLiveAndFileFiguresAndWritesTheReport() throws Exception {
    String out = stdout(() -> CostByFeatureExample.main(new String[] {dir.toString()}));
    assertThat(out)
        .contains("Live, from helicone.metrics():")
        .contains("search")
        .contains("summarize")
        .contains("customer-3")
        .containsPattern("feature +requests +errors");
    assertThat(Files.readString(dir.resolve("report.html"))).contains("helicone-java report");
    // The CLI's cost for a feature is the live figure: both come from the same records.
    String live = line(out, "  search ");
    String fromFile = line(out.substring(out.indexOf("From the file")), "search ");
    assertThat(live.trim().split("\\s+")[2]).isNotBlank();
    assertThat(fromFile.trim().split("\\s+")[1]).isEqualTo(live.trim().split("\\s+")[1]);
  }

  @Test
  void budgetExampleRefusesTheCallPastTheLimitAndSparesOtherUsers() throws Exception {
    String out = stdout(() -> BudgetExample.main(new String[0]));
    assertThat(out)
        .contains("ALERT budget 'daily per user': alice reached 50%")
        .contains("ALERT budget 'daily per user': alice reached 100%")
        .contains("refused: budget 'daily per user'")
        .contains("bob's call: sent")
        .contains("refused calls: 1");
    assertThat(out.indexOf("reached 100%")).isLessThan(out.indexOf("refused:"));
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
