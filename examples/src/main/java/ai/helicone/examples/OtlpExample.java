package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.TraceKind;
import ai.helicone.otlp.OtlpExporter;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Exports calls as OpenTelemetry GenAI spans and metrics over OTLP/HTTP, here to a local receiver
 * that prints what arrived. Point {@code endpoint} at a collector, Jaeger, Tempo or any OTLP
 * backend (or use {@code OtlpExporter.fromEnv()}) to see the session as one trace.
 *
 * <p>{@code mvn -B -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.OtlpExample}
 */
public final class OtlpExample {
  private OtlpExample() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) throws IOException {
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        LocalReceiver collector = LocalReceiver.start(200, "application/x-protobuf", "")) {
      try (Helicone helicone =
          Helicone.builder()
              .addExporter(
                  OtlpExporter.builder()
                      .endpoint(collector.baseUrl())
                      .serviceName("otlp-example")
                      .compression("gzip")
                      .build())
              .build()) {
        OkHttpClient base = new OkHttpClient();
        OkHttpClient client = helicone.instrument(base);
        try (HeliconeSession session = helicone.session("Research").start();
            HeliconeScope step = session.path("/search")) {
          String body =
              "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Find papers on caching\"}]}";
          Request request =
              new Request.Builder()
                  .url(llm.baseUrl() + "/chat/completions")
                  .post(RequestBody.create(body, MediaType.get("application/json")))
                  .build();
          try (Response response = client.newCall(request).execute()) {
            response.body().string();
          }
          helicone.trace("arxiv-search").kind(TraceKind.TOOL).input("caching").call(() -> 12);
        }
        helicone.flush(Duration.ofSeconds(10));
        Clients.release(base);
      }
      System.out.println("What the OTLP collector received (a local stand-in here):");
      for (LocalReceiver.Received export : collector.received()) {
        System.out.println(
            "OTLP "
                + export.path()
                + ": "
                + export.body().length
                + " bytes of "
                + export.headers().get("content-type"));
      }
      System.out.println();
      System.out.println("/v1/traces holds one trace for the session: a root span for it, one for");
      System.out.println(
          "the path /search, the chat call (gen_ai.* attributes: model, tokens) and");
      System.out.println("the tool trace.");
      System.out.println("/v1/metrics holds the GenAI token usage and duration metrics. Point");
      System.out.println(
          "endpoint(...) at your collector, or use OtlpExporter.fromEnv() (OTEL_*).");
    }
  }
}
