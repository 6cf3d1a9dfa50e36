package ai.helicone.examples;

import okhttp3.OkHttpClient;

/** What a well-behaved application does with its OkHttp client when it is done. */
final class Clients {
  private Clients() {}

  /**
   * Stops the client's dispatcher threads and closes its idle connections. OkHttp's dispatcher
   * threads are not daemons and linger for a minute after the last {@code enqueue()}, which would
   * keep the JVM (and {@code mvn exec:java}) from exiting. Instrumented clients share the
   * dispatcher and pool of the client they were made from, so releasing that one is enough.
   */
  static void release(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
