package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class ContextApiTest {
  private final InMemoryExporter exporter = new InMemoryExporter();
  private LoopbackLlm llm;
  private Helicone helicone;
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    llm = new LoopbackLlm();
    helicone = Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();
    client = helicone.instrument(new OkHttpClient());
  }

  @AfterEach
  void stop() throws IOException {
    helicone.close();
    LoopbackLlm.shutdown(client);
    llm.close();
  }

  private HeliconeRecord call() {
    exporter.reset();
    LoopbackLlm.call(client, llm.chat());
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    return exporter.records().get(0);
  }

  @Test
  void contextHeadersCarryTheContextToACallCreatedOnAnotherThread() throws Exception {
    Map<String, String> headers;
    String requestId = "6f1c2b9e-8a55-4d6e-9f3a-0c1d2e3f4a5b";
    try (HeliconeSession session =
            helicone.session("Agent").userId("u-5").property("Tier", "gold").start();
        HeliconeScope step = session.path("/plan");
        HeliconeScope privacy = helicone.context().requestId(requestId).omitResponse().attach()) {
      headers = helicone.contextHeaders();
      assertThat(headers)
          .containsEntry("Helicone-User-Id", "u-5")
          .containsEntry("Helicone-Property-Tier", "gold")
          .containsEntry("Helicone-Session-Id", session.id())
          .containsEntry("Helicone-Session-Path", "/plan")
          .containsEntry("Helicone-Session-Name", "Agent")
          .containsEntry("Helicone-Request-Id", requestId)
          .containsEntry("Helicone-Omit-Response", "true")
          .doesNotContainKey("Helicone-Omit-Request");
    }
    assertThat(helicone.contextHeaders()).isEmpty();

    // A thread without the context, as an SDK's own thread would be.
    ExecutorService sdkThread = Executors.newSingleThreadExecutor();
    try {
      sdkThread
          .submit(
              () -> {
                okhttp3.Request.Builder request = llm.chat().newBuilder();
                headers.forEach(request::header);
                return LoopbackLlm.call(client, request.build());
              })
          .get(30, TimeUnit.SECONDS);
    } finally {
      sdkThread.shutdown();
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    HeliconeRecord r = exporter.records().get(0);
    assertThat(r.id()).isEqualTo(requestId);
    assertThat(r.userId()).isEqualTo("u-5");
    assertThat(r.sessionPath()).isEqualTo("/plan");
    assertThat(r.properties()).containsExactly(Map.entry("Tier", "gold"));
    assertThat(r.response().omitted()).isTrue();
    assertThat(llm.server.takeRequest(10, TimeUnit.SECONDS).getHeaders().names())
        .noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("helicone-"));
  }

  @Test
  void nestedScopesAndPathsApplyAndAreRestoredOnClose() {
    String sessionId;
    try (HeliconeSession session =
        helicone.session("Document Analyzer").userId("u-1").property("Env", "prod").start()) {
      sessionId = session.id();
      try (HeliconeScope analyze = session.path("/analyze")) {
        assertThat(call().sessionPath()).isEqualTo("/analyze");
        try (HeliconeScope summary = session.path("/analyze/summary");
            HeliconeScope extra = helicone.context().property("Step", "2").userId("u-2").attach()) {
          HeliconeRecord r = call();
          assertThat(r.sessionPath()).isEqualTo("/analyze/summary");
          assertThat(r.userId()).isEqualTo("u-2");
          assertThat(r.properties())
              .containsExactly(Map.entry("Env", "prod"), Map.entry("Step", "2"));
        }
        HeliconeRecord back = call();
        assertThat(back.sessionPath()).isEqualTo("/analyze");
        assertThat(back.userId()).isEqualTo("u-1");
        assertThat(back.properties()).containsExactly(Map.entry("Env", "prod"));
      }
      HeliconeRecord root = call();
      assertThat(root.sessionId()).isEqualTo(sessionId);
      assertThat(root.sessionName()).isEqualTo("Document Analyzer");
      assertThat(root.sessionPath()).isNull();
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.endedSessions()).containsExactly(sessionId);
    HeliconeRecord outside = call();
    assertThat(outside.sessionId()).isNull();
    assertThat(outside.userId()).isNull();
    assertThat(outside.properties()).isEmpty();
  }

  @Test
  void sessionsUseTheGivenIdAndANestedSessionDoesNotInheritThePath() {
    try (HeliconeSession outer = helicone.session("Outer").id("outer-1").start();
        HeliconeScope path = outer.path("/outer/step");
        HeliconeSession inner = helicone.session("Inner").start()) {
      HeliconeRecord r = call();
      assertThat(r.sessionId()).isEqualTo(inner.id()).isNotEqualTo("outer-1");
      assertThat(r.sessionName()).isEqualTo("Inner");
      assertThat(r.sessionPath()).isNull();
      assertThat(outer.id()).isEqualTo("outer-1");
    }
  }

  @Test
  void outOfOrderCloseIsLoggedNotThrownAndRestoresTheContextBeforeTheClosedScope() {
    try (LogCapture logs = new LogCapture()) {
      HeliconeScope outer = helicone.context().userId("outer").attach();
      HeliconeScope inner = helicone.context().userId("inner").attach();

      assertThatCode(outer::close).doesNotThrowAnyException();
      assertThat(call().userId()).isNull();
      assertThat(logs.messages()).anyMatch(m -> m.contains("out of order"));

      assertThatCode(inner::close).doesNotThrowAnyException();
      assertThatCode(outer::close).doesNotThrowAnyException();
      assertThat(call().userId()).isNull();

      HeliconeScope later = helicone.context().userId("later").attach();
      inner.close(); // already taken off by the outer close: must not disturb the new scope
      assertThat(call().userId()).isEqualTo("later");
      later.close();
      assertThat(call().userId()).isNull();
    }
  }

  @Test
  void closingOnAnotherThreadIsLoggedAndLeavesTheOwningThreadAlone() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      HeliconeScope scope = helicone.context().userId("owner").attach();
      CompletableFuture.runAsync(scope::close).get(10, TimeUnit.SECONDS);
      assertThat(logs.messages()).anyMatch(m -> m.contains("another thread"));
      assertThat(call().userId()).isEqualTo("owner");
      scope.close();
      assertThat(call().userId()).isNull();
    }
  }

  @Test
  void aSessionClosedOnAnotherThreadStaysOpenUntilItsOwnThreadClosesIt() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      HeliconeSession session = helicone.session("cross").start();
      CompletableFuture.runAsync(session::close).get(10, TimeUnit.SECONDS);
      assertThat(logs.messages()).anyMatch(m -> m.contains("another thread"));
      assertThat(call().sessionId()).isEqualTo(session.id());

      session.close();
      assertThat(call().sessionId()).isNull();
    }
  }

  @Test
  void invalidInputsFailAtTheCallSite() {
    assertThatThrownBy(() -> helicone.context().requestId("123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"123\"")
        .hasMessageContaining("UUID");
    assertThatThrownBy(
            () ->
                helicone
                    .context()
                    .requestId(java.util.UUID.fromString("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.context().property("", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("property name must not be empty");
    assertThatThrownBy(() -> helicone.context().property("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Name");
    for (String bad : List.of("a:b", "a/b", "a(b)", "a\"b", "a,b", "ä")) {
      assertThatThrownBy(() -> helicone.context().property(bad, "v"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("HTTP header name");
    }
    helicone.context().property("Team_Name-2.0!#$%&'*+^`|~", "v");
    assertThatThrownBy(() -> helicone.context().property("k", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value of property \"k\" must not be null");
    assertThatThrownBy(() -> helicone.context().property("k", "line\nbreak"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+000A");
    assertThatThrownBy(() -> helicone.context().userId(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.context().userId("caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userId");
    assertThatThrownBy(() -> helicone.session("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.session("s").property("", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.trace("t").property("p", "\u0000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Helicone.builder().queueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.instrumentForGateway(new OkHttpClient(), " "))
        .isInstanceOf(IllegalArgumentException.class);
    // A valid id is accepted, in any case.
    assertThatCode(
            () ->
                helicone
                    .context()
                    .requestId("123E4567-E89B-42D3-A456-426614174000")
                    .attach()
                    .close())
        .doesNotThrowAnyException();
  }

  @Test
  void wrappedExecutorCarriesTheContextAndLeavesNothingOnThePoolThread() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Executor wrapped = helicone.wrap(pool);
      String sessionId;
      try (HeliconeSession session = helicone.session("Pool").userId("pool-user").start();
          HeliconeScope step = session.path("/fan-out")) {
        sessionId = session.id();
        CompletableFuture.runAsync(() -> LoopbackLlm.call(client, llm.chat()), wrapped)
            .get(10, TimeUnit.SECONDS);
      }
      // The same pool thread, without wrapping, after the wrapped task.
      CompletableFuture.runAsync(() -> LoopbackLlm.call(client, llm.chat()), pool)
          .get(10, TimeUnit.SECONDS);

      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
      List<HeliconeRecord> records = exporter.records();
      assertThat(records).hasSize(2);
      assertThat(records.get(0).sessionId()).isEqualTo(sessionId);
      assertThat(records.get(0).sessionPath()).isEqualTo("/fan-out");
      assertThat(records.get(0).userId()).isEqualTo("pool-user");
      assertThat(records.get(1).sessionId()).isNull();
      assertThat(records.get(1).userId()).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrappedExecutorServiceCarriesTheContextThroughSubmitAndShutsDownItsPool() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    ExecutorService wrapped = helicone.wrap(pool);
    String sessionId;
    try (HeliconeSession session = helicone.session("Service").start()) {
      sessionId = session.id();
      wrapped.submit(() -> LoopbackLlm.call(client, llm.chat())).get(10, TimeUnit.SECONDS);
      wrapped
          .invokeAll(List.of(() -> LoopbackLlm.call(client, llm.chat())))
          .get(0)
          .get(10, TimeUnit.SECONDS);
    }
    wrapped.shutdown();

    assertThat(wrapped.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.isTerminated()).isTrue();
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.sessionId()).isEqualTo(sessionId));
  }

  @Test
  void wrappedTasksReplaceWhateverThePoolThreadHadAndRestoreIt() throws Exception {
    Runnable runnable;
    Callable<String> callable;
    try (HeliconeScope scope = helicone.context().userId("submitter").attach()) {
      runnable = helicone.wrap((Runnable) () -> LoopbackLlm.call(client, llm.chat()));
      callable = helicone.wrap(() -> LoopbackLlm.call(client, llm.chat()));
    }
    try (HeliconeScope other = helicone.context().userId("runner").attach()) {
      runnable.run();
      callable.call();
      LoopbackLlm.call(client, llm.chat());
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records())
        .extracting(HeliconeRecord::userId)
        .containsExactly("submitter", "submitter", "runner");
  }
}
