package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.helicone.budget.AlertListener;
import ai.helicone.budget.Budget;
import ai.helicone.budget.BudgetAlert;
import ai.helicone.budget.BudgetExceededException;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.HeliconeMetrics;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code helicone.metrics()}, budgets and enforce mode through an instrumented client on loopback.
 * Each call costs USD 0.00006: 12 input and 3 output tokens of gpt-4o at 2.50 and 10.00 per 1M.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class MetricsAndBudgetsTest {
  private static final BigDecimal CALL_COST = new BigDecimal("0.00006");

  /** Reads the OpenAI-shaped usage of LoopbackLlm's answers, as the OpenAI adapter would. */
  static final class UsageAdapter implements ProviderAdapter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
      return "test-usage";
    }

    @Override
    public boolean supports(CapturedExchange exchange) {
      return true;
    }

    @Override
    public AdapterResult parse(CapturedExchange exchange) {
      AdapterResult.Builder b = AdapterResult.builder().provider("openai").operation("chat");
      if (exchange.responseStatus() != 200) {
        return b.build();
      }
      try {
        JsonNode json = MAPPER.readTree(exchange.responseBodyBytes());
        JsonNode usage = json.path("usage");
        return b.model(json.path("model").asText())
            .usage(
                Usage.builder()
                    .inputTokens(usage.path("prompt_tokens").asLong())
                    .outputTokens(usage.path("completion_tokens").asLong())
                    .build())
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private LoopbackLlm llm;
  private Helicone helicone;
  private OkHttpClient client;
  private final AtomicInteger served = new AtomicInteger();
  private final List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    llm = new LoopbackLlm();
    llm.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            served.incrementAndGet();
            String status = request.getHeader("X-Test-Status");
            if (status != null) {
              return new MockResponse()
                  .setResponseCode(Integer.parseInt(status))
                  .setHeader("Content-Type", "application/json")
                  .setBody("{\"error\":{\"message\":\"test\"}}");
            }
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(LoopbackLlm.ANSWER);
          }
        });
  }

  @AfterEach
  void stop() throws IOException {
    if (helicone != null) {
      helicone.close();
    }
    if (client != null) {
      LoopbackLlm.shutdown(client);
    }
    llm.close();
  }

  private void use(Helicone.Builder builder) {
    helicone =
        builder
            .addExporter(new InMemoryExporter())
            .addAdapter(new UsageAdapter())
            .alertListener(
                new AlertListener() {
                  @Override
                  public void budgetThreshold(BudgetAlert alert) {
                    alerts.add(alert);
                  }
                })
            .build();
    client = helicone.instrument(new OkHttpClient());
  }

  private void callAs(String user, String feature) {
    try (HeliconeScope scope =
        helicone.context().userId(user).property("feature", feature).attach()) {
      LoopbackLlm.call(client, llm.chat());
    }
  }

  private void callWithStatus(int status) {
    try (Response r =
        client
            .newCall(llm.chat().newBuilder().header("X-Test-Status", "" + status).build())
            .execute()) {
      r.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void afterFlushTheMetricsCountEveryCallAndHoldNoBytes() {
    use(Helicone.builder());
    for (int i = 0; i < 5; i++) {
      callAs("carol", "chat");
    }
    assertThat(helicone.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(helicone.metrics().sinceStart().total().requests()).isEqualTo(5);
    assertThat(helicone.stats().bufferedBytes()).isZero();
  }

  @Test
  void metricsAggregateCallsByUserPropertyModelAndStatus() {
    use(Helicone.builder());
    for (int i = 0; i < 6; i++) {
      callAs(i < 4 ? "alice" : "bob", i % 2 == 0 ? "search" : "chat");
    }
    callWithStatus(500);
    callWithStatus(429);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> helicone.metrics().sinceStart().total().requests() == 8);
    HeliconeMetrics m = helicone.metrics();
    Aggregate total = m.sinceStart().total();
    assertThat(total.errors()).isEqualTo(1);
    assertThat(total.rateLimited()).isEqualTo(1);
    assertThat(total.inputTokens()).isEqualTo(6 * 12);
    assertThat(total.outputTokens()).isEqualTo(6 * 3);
    assertThat(total.costUsd()).isEqualByComparingTo(CALL_COST.multiply(BigDecimal.valueOf(6)));
    assertThat(total.latency().count()).isEqualTo(8);
    assertThat(m.sinceStart().byUser().get("alice").costUsd())
        .isEqualByComparingTo(CALL_COST.multiply(BigDecimal.valueOf(4)));
    assertThat(m.sinceStart().byUser().get("bob").requests()).isEqualTo(2);
    assertThat(m.sinceStart().byProperty("feature").get("search").requests()).isEqualTo(3);
    assertThat(m.sinceStart().byModel().get("gpt-4o-2024-08-06").requests()).isEqualTo(6);
    assertThat(m.window().total().requests()).isEqualTo(8);
    assertThat(m.budgetRefusals()).isZero();
  }

  @Test
  void budgetThresholdsAreReportedOncePerKeyAsSpendingCrossesThem() {
    // Five calls reach the limit: the 50% alert comes with the third call, the 100% with the fifth.
    use(
        Helicone.builder()
            .addBudget(
                Budget.perUser(0.0003, Duration.ofHours(1)).alertAt(0.5, 1.0).named("daily")));
    for (int i = 0; i < 6; i++) {
      callAs("alice", "chat");
      int calls = i + 1;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> helicone.metrics().sinceStart().total().requests() == calls);
      if (i == 1) {
        assertThat(alerts).isEmpty();
      }
    }
    callAs("bob", "chat");

    await().atMost(Duration.ofSeconds(20)).until(() -> alerts.size() >= 2);
    assertThat(alerts).extracting(BudgetAlert::threshold).containsExactly(0.5, 1.0);
    assertThat(alerts).extracting(BudgetAlert::key).containsOnly("alice");
    assertThat(alerts.get(0).spentUsd())
        .isEqualByComparingTo(CALL_COST.multiply(BigDecimal.valueOf(3)));
    assertThat(alerts.get(1).spentUsd())
        .isEqualByComparingTo(CALL_COST.multiply(BigDecimal.valueOf(5)));
    assertThat(alerts.get(1).budget().name()).isEqualTo("daily");
    assertThat(alerts.get(1).estimated()).isFalse();
  }

  @Test
  void anEnforcedBudgetRefusesCallsBeforeTheyAreSentAndRecordsNothingForThem() throws Exception {
    InMemoryExporter exported = new InMemoryExporter();
    use(
        Helicone.builder()
            .addExporter(exported)
            .batchDelay(Duration.ofMillis(5))
            .addBudget(Budget.perUser(0.00012, Duration.ofHours(1)).enforced()));
    callAs("alice", "chat");
    callAs("alice", "chat");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> helicone.metrics().sinceStart().total().requests() == 2);
    int servedBefore = served.get();

    try (HeliconeScope scope = helicone.context().userId("alice").attach()) {
      assertThatThrownBy(() -> client.newCall(llm.chat()).execute())
          .isInstanceOf(BudgetExceededException.class)
          .hasMessageContaining("per user")
          .hasMessageContaining("alice")
          .hasMessageContaining("not sent");
    }
    assertThat(served.get()).isEqualTo(servedBefore);
    // Another user still has room.
    callAs("bob", "chat");
    assertThat(helicone.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(exported.records()).hasSize(3);
    assertThat(helicone.metrics().budgetRefusals()).isEqualTo(1);
  }

  @Test
  void underSixteenThreadsOnlyCallsAlreadyInFlightPassOnceTheLimitIsReachedAndNoneAfterARefusal()
      throws Exception {
    // The limit is reached by 10 calls; 16 threads call as fast as they can. The moment the
    // metrics thread has added the call that reaches the limit is taken in a record listener,
    // which runs after the budgets on the same thread.
    BigDecimal limit = new BigDecimal("0.0006");
    AtomicLong limitReachedAt = new AtomicLong();
    BigDecimal[] spent = {BigDecimal.ZERO};
    List<Long> received = new CopyOnWriteArrayList<>();
    llm.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            received.add(System.nanoTime());
            served.incrementAndGet();
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(LoopbackLlm.ANSWER);
          }
        });
    use(
        Helicone.builder()
            .queueCapacity(8192)
            .addBudget(Budget.global(limit.doubleValue(), Duration.ofHours(1)).enforced())
            .addRecordListener(
                r -> {
                  if (r.costUsd() != null) {
                    spent[0] = spent[0].add(r.costUsd());
                    if (limitReachedAt.get() == 0 && spent[0].compareTo(limit) >= 0) {
                      limitReachedAt.set(System.nanoTime());
                    }
                  }
                }));
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger sentAfterARefusal = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                // Until refused; the cap only keeps a broken build from looping for long.
                for (int i = 0; i < 5_000; i++) {
                  boolean refusalSeen = refused.get() > 0;
                  try (Response r = client.newCall(llm.chat()).execute()) {
                    r.body().string();
                    if (refusalSeen) {
                      sentAfterARefusal.incrementAndGet();
                    }
                  } catch (BudgetExceededException e) {
                    refused.incrementAndGet();
                    return null;
                  }
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(refused.get()).isEqualTo(threads);
    assertThat(sentAfterARefusal.get()).isZero();
    int sent = served.get();
    assertThat(sent).isGreaterThanOrEqualTo(10);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> helicone.metrics().sinceStart().total().requests() == sent);
    // Once the spending that reaches the limit is known, each thread can have at most the one call
    // it had already started: every later call is refused before it is sent.
    long reached = limitReachedAt.get();
    assertThat(reached).isPositive();
    assertThat(received.stream().filter(at -> at > reached).count()).isLessThanOrEqualTo(threads);
    assertThat(helicone.metrics().budgetRefusals()).isEqualTo(threads);
    assertThat(helicone.metrics().sinceStart().total().costUsd())
        .isEqualByComparingTo(CALL_COST.multiply(BigDecimal.valueOf(sent)));
  }

  @Test
  void recordListenersReceiveEveryRecordOnce() {
    List<HeliconeRecord> heard = new CopyOnWriteArrayList<>();
    use(Helicone.builder().addRecordListener(heard::add));
    callAs("alice", "chat");
    helicone.trace("lookup").run(() -> {});
    await().atMost(Duration.ofSeconds(20)).until(() -> heard.size() == 2);
    assertThat(heard).extracting(HeliconeRecord::type).hasSize(2);
  }

  @Test
  void badSettingsFailAtTheBuilder() {
    assertThatThrownBy(() -> Budget.perUser(0, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Budget.perUser(1, Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Budget.perProperty(" ", 1, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Budget.global(1, Duration.ofHours(1)).alertAt(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Helicone.builder().metricsTopKeys(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Helicone.builder().metricsWindow(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Helicone.builder().alertOnErrors(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
