package ai.helicone.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that exits without close() still delivers what was queued, unless the hook is off. */
class ShutdownHookTest {
  @TempDir Path dir;

  private static long run(Path file, int traces, boolean hook) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ExitWithoutClose.class.getName(),
                file.toString(),
                Integer.toString(traces),
                Boolean.toString(hook))
            .redirectErrorStream(true)
            .redirectOutput(file.resolveSibling(file.getFileName() + ".out").toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not exit");
    }
    assertThat(process.exitValue()).isZero();
    return lines(file);
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.stream().filter(l -> !l.isBlank()).count();
  }

  @Test
  void theHookDeliversEverythingQueuedWhenTheJvmExitsWithoutClose() throws Exception {
    Path file = dir.resolve("hook.jsonl");
    assertThat(run(file, 1000, true)).isEqualTo(1000);
  }

  @Test
  void withoutTheHookQueuedRecordsAreLostAtExit() throws Exception {
    Path file = dir.resolve("nohook.jsonl");
    assertThat(run(file, 1000, false)).isZero();
    assertThat(new File(file.toString() + ".out")).exists();
  }
}
