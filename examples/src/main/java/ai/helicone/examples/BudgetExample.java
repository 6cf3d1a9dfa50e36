package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.budget.AlertListener;
import ai.helicone.budget.Budget;
import ai.helicone.budget.BudgetAlert;
import ai.helicone.budget.BudgetExceededException;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A per-user spending limit: alerts at 50% and 100%, and in enforce mode the first call past the
 * limit fails before it is sent, with {@link BudgetExceededException}. Another user is not
 * affected.
 */
public final class BudgetExample {
  private static final MediaType JSON = MediaType.get("application/json");

  private BudgetExample() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) throws InterruptedException {
    OkHttpClient plain = new OkHttpClient();
    AlertListener printAlerts =
        new AlertListener() {
          @Override
          public void budgetThreshold(BudgetAlert alert) {
            System.out.printf(
                Locale.ROOT,
                "ALERT budget '%s': %s reached %.0f%% (USD %s of %s)%n",
                alert.budget().name(),
                alert.key(),
                alert.threshold() * 100,
                alert.spentUsd().toPlainString(),
                alert.budget().limitUsd().toPlainString());
          }
        };
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        Helicone helicone =
            Helicone.builder()
                .addAdapter(new OpenAiAdapter())
                .addExporter(new InMemoryExporter())
                .addBudget(
                    Budget.perUser(0.00005, Duration.ofDays(1))
                        .alertAt(0.5, 1.0)
                        .named("daily per user")
                        .enforced())
                .alertListener(printAlerts)
                .build()) {
      OkHttpClient client = helicone.instrument(plain);
      for (int i = 1; i <= 20; i++) {
        try (HeliconeScope scope = helicone.context().userId("alice").attach()) {
          call(client, llm);
          System.out.println("call " + i + " for alice: sent");
        } catch (BudgetExceededException e) {
          System.out.println("call " + i + " for alice: refused: " + e.getMessage());
          break;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        // Spending is added on a background thread as each call ends; wait until it is.
        waitForMetrics(helicone, i);
      }
      try (HeliconeScope scope = helicone.context().userId("bob").attach()) {
        call(client, llm);
        System.out.println("bob's call: sent (his budget is his own)");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.out.println("refused calls: " + helicone.metrics().budgetRefusals());
    } finally {
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  private static void waitForMetrics(Helicone helicone, long calls) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (helicone.metrics().sinceStart().total().requests() < calls
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static void call(OkHttpClient client, FakeOpenAiServer llm) throws IOException {
    Request request =
        new Request.Builder()
            .url(llm.baseUrl() + "/chat/completions")
            .post(
                RequestBody.create(
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"Plan a weekend in Lisbon.\"}]}",
                    JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      if (response.body() != null) {
        response.body().string();
      }
    }
  }
}
