package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Gateway mode: calls go through Helicone's gateway, which records them itself, and the same
 * context API fills in the Helicone-* headers. A local receiver plays the gateway here and prints
 * the headers it got; in production point the client at {@code https://ai-gateway.helicone.ai}.
 *
 * <p>{@code mvn -B -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.GatewayExample}
 */
public final class GatewayExample {
  private GatewayExample() {}

  @SuppressWarnings("try") // the scope is opened for its effect on the call inside it
  public static void main(String[] args) throws IOException {
    String answer =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
            + "\"finish_reason\":\"stop\"}]}";
    try (LocalReceiver gateway = LocalReceiver.start(200, "application/json", answer);
        Helicone helicone = Helicone.builder().build()) {
      OkHttpClient base = new OkHttpClient();
      OkHttpClient client =
          helicone.instrumentForGateway(base, "sk-helicone-example-not-a-real-key");
      try (HeliconeScope scope =
          helicone.context().userId("user-9").property("Feature", "greeting").attach()) {
        Request request =
            new Request.Builder()
                .url(gateway.baseUrl() + "/v1/chat/completions")
                .post(
                    RequestBody.create(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[]}",
                        MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
          System.out.println("gateway answered HTTP " + response.code());
        }
      }
      Clients.release(base);
      System.out.println(
          "Headers the gateway received (Helicone reads them and records the call):");
      gateway.received().get(0).headers().entrySet().stream()
          .filter(h -> h.getKey().startsWith("helicone-"))
          .forEach(
              h ->
                  System.out.println(
                      "  "
                          + h.getKey()
                          + ": "
                          + (h.getKey().equals("helicone-auth")
                              ? "Bearer sk-helicone-…"
                              : h.getValue())));
    }
  }
}
