package ai.helicone.benchmarks;

import ai.helicone.Helicone;
import ai.helicone.export.JsonLinesExporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The CPU that helicone's threads spend on each plain record, and the capture's on the calling
 * thread, with calls answered inside the process at a steady rate: no server and no network, so the
 * two cores are mostly idle and the figure moves less between runs than {@code plain}'s. It is for
 * telling two builds of the SDK apart in alternating runs, not for the goals.
 *
 * <p>Arguments, all optional: calls per second (15000), seconds per round (5), measured rounds (5,
 * after two unmeasured ones), and extra response headers (0; the answer always has two).
 */
final class SdkCostMain {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String URL = "http://127.0.0.1:8080/v1/chat/completions";
  private static final int WARMUP_ROUNDS = 2;

  private SdkCostMain() {}

  public static void main(String[] args) throws IOException {
    int rate = argument(args, 0, 15_000);
    int seconds = argument(args, 1, 5);
    int rounds = argument(args, 2, 5);
    int extraHeaders = argument(args, 3, 0);
    byte[] request = Payloads.chatRequest(false);
    byte[] answer = Payloads.chatCompletion();
    OkHttpClient answering =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  Response.Builder response =
                      new Response.Builder()
                          .request(chain.request())
                          .protocol(Protocol.HTTP_1_1)
                          .code(200)
                          .message("OK")
                          .header("Content-Type", "application/json")
                          .header("Content-Length", String.valueOf(answer.length));
                  for (int i = 0; i < extraHeaders; i++) {
                    // New strings on every call, as OkHttp's own parsing makes them.
                    response.addHeader("X-Header-" + i, "value-" + i + "-" + System.nanoTime());
                  }
                  return response.body(ResponseBody.create(answer, JSON)).build();
                })
            .build();
    Path dir = Files.createTempDirectory("helicone-sdk-cost");
    Path file = dir.resolve("helicone.jsonl");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> sdk = new ArrayList<>();
    List<Double> caller = new ArrayList<>();
    try (Helicone helicone =
        Helicone.builder().addExporter(JsonLinesExporter.builder().file(file).build()).build()) {
      OkHttpClient client = helicone.instrument(answering);
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
        long sdkBefore = Meter.heliconeThreadsCpu();
        long callerNanos = 0;
        long calls = 0;
        long next = System.nanoTime();
        long end = next + TimeUnit.SECONDS.toNanos(seconds);
        while (next < end) {
          Request call =
              new Request.Builder()
                  .url(URL)
                  .header("Authorization", "Bearer sk-bench-not-a-key")
                  .post(RequestBody.create(request, JSON))
                  .build();
          long before = threads.getCurrentThreadCpuTime();
          try (Response response = client.newCall(call).execute()) {
            response.body().bytes();
          }
          callerNanos += threads.getCurrentThreadCpuTime() - before;
          calls++;
          next += interval;
          waitUntil(next);
        }
        helicone.flush(Duration.ofSeconds(30));
        double sdkPerRecord = (Meter.heliconeThreadsCpu() - sdkBefore) / 1000.0 / calls;
        double callerPerCall = callerNanos / 1000.0 / calls;
        if (round >= 0) {
          sdk.add(sdkPerRecord);
          caller.add(callerPerCall);
          System.out.printf(
              Locale.ROOT,
              "round %d: SDK threads %.2f us per record, calling thread %.2f us per call"
                  + " (%d calls)%n",
              round + 1,
              sdkPerRecord,
              callerPerCall,
              calls);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "median: SDK threads %.2f us per record, calling thread %.2f us per call; %s%n",
          Summary.median(sdk),
          Summary.median(caller),
          helicone.stats());
    } finally {
      Variant.deleteTree(dir);
    }
  }

  private static int argument(String[] args, int at, int otherwise) {
    if (args.length <= at) {
      return otherwise;
    }
    try {
      int value = Integer.parseInt(args[at]);
      if (value >= (at == 3 ? 0 : 1)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "usage: SdkCostMain [calls per second] [seconds per round] [rounds] [extra headers];"
            + " got "
            + String.join(" ", args));
  }

  /** Parks until shortly before {@code deadline}, then spins: a park alone overshoots. */
  private static void waitUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      if (left > 60_000) {
        LockSupport.parkNanos(left - 50_000);
      }
    }
  }
}
