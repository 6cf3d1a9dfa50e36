package ai.helicone.export.http.spool;

import ai.helicone.Helicone;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;

/**
 * Run in a child JVM by {@link SpoolKillTest}: makes instrumented calls on four threads, with the
 * collector down and the spool on, and prints {@code done <request id>} after each call, until it
 * is killed. Arguments: the spool directory and the collector's port.
 */
public final class SpoolLoadChild {
  private SpoolLoadChild() {}

  public static void main(String[] args) throws Exception {
    Path spool = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    MockWebServer llm = SpoolFixtures.llm();
    Helicone helicone =
        SpoolFixtures.helicone(spool, SpoolFixtures.collector(port)).maxExportAttempts(1).build();
    OkHttpClient client = helicone.instrument(new OkHttpClient());
    out.println("ready");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.execute(
          () -> {
            while (true) {
              String id = SpoolFixtures.call(client, llm);
              synchronized (out) {
                out.println("done " + id);
              }
            }
          });
    }
    // Runs until the parent kills the process.
    pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
  }
}
