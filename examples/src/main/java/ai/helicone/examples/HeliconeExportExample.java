package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.TraceKind;
import ai.helicone.export.http.HeliconeHttpExporter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Logs calls to Helicone's asynchronous logging API, here played by a local receiver that prints
 * what it got: the route, the Helicone-* headers and the start of each JSON body. Against the real
 * service, build the exporter with {@code HeliconeHttpExporter.fromEnv()} (reads {@code
 * HELICONE_API_KEY}) instead.
 *
 * <p>{@code mvn -B -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.HeliconeExportExample}
 */
public final class HeliconeExportExample {
  private HeliconeExportExample() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) throws IOException {
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        LocalReceiver fakeHelicone = LocalReceiver.start(200, "text/plain", "ok")) {
      try (Helicone helicone =
          Helicone.builder()
              .addExporter(
                  HeliconeHttpExporter.builder()
                      .apiKey("sk-helicone-example-not-a-real-key")
                      .baseUrl(fakeHelicone.baseUrl())
                      .build())
              .build()) {
        OkHttpClient base = new OkHttpClient();
        OkHttpClient client = helicone.instrument(base);
        try (HeliconeSession session =
                helicone.session("Support Bot").userId("customer-42").start();
            HeliconeScope answer = session.path("/answer")) {
          String body =
              "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                  + "\"stream_options\":{\"include_usage\":true},"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Where is my order?\"}]}";
          Request request =
              new Request.Builder()
                  .url(llm.baseUrl() + "/chat/completions")
                  .header("Authorization", "Bearer sk-example-not-a-real-key")
                  .header("Helicone-Property-Channel", "chat-widget")
                  .post(RequestBody.create(body, MediaType.get("application/json")))
                  .build();
          try (Response response = client.newCall(request).execute()) {
            response.body().string();
          }
          helicone
              .trace("lookup-order")
              .kind(TraceKind.TOOL)
              .input(Map.of("orderId", "A-1001"))
              .call(() -> Map.of("status", "shipped"));
        }
        helicone.flush(Duration.ofSeconds(10));
        Clients.release(base);
      }
      System.out.println("What Helicone's logging API received (a local stand-in here):");

      for (LocalReceiver.Received log : fakeHelicone.received()) {
        System.out.println("POST " + log.path());
        log.headers().entrySet().stream()
            .filter(h -> h.getKey().startsWith("helicone-") || h.getKey().equals("authorization"))
            .forEach(
                h -> System.out.println("  " + h.getKey() + ": " + mask(h.getKey(), h.getValue())));
        String json = log.bodyText();
        System.out.println("  " + (json.length() > 160 ? json.substring(0, 160) + "..." : json));
      }
      System.out.println();
      System.out.println(
          "One POST per record: the streamed chat call on /oai/v1/log (the raw stream");
      System.out.println(
          "in providerResponse.textBody), the tool trace on /custom/v1/log. Session,");
      System.out.println("user and properties travel as helicone-* headers. With a real key they");
      System.out.println("appear in Helicone's Requests and Sessions pages.");
    }
  }

  private static String mask(String header, String value) {
    return header.equals("authorization") ? "Bearer sk-helicone-…" : value;
  }
}
