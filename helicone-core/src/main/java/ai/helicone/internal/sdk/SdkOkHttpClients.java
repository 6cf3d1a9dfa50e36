package ai.helicone.internal.sdk;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * OkHttp clients that the integration modules create when the application gives none. Their
 * dispatcher threads are daemons: nobody owns these clients, and SDKs such as LangChain4j have no
 * close method, so non-daemon threads would keep an application's JVM alive for a minute after its
 * last streamed or asynchronous call. Thread-safe.
 */
public final class SdkOkHttpClients {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private SdkOkHttpClients() {}

  /** A new builder with a daemon-threaded dispatcher and OkHttp's other defaults. */
  public static OkHttpClient.Builder newBuilder() {
    // The same pool shape as OkHttp's own dispatcher: threads on demand, idle for 60 s at most.
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread t = new Thread(task, "helicone-okhttp-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return new OkHttpClient.Builder().dispatcher(new Dispatcher(executor));
  }
}
