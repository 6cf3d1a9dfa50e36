package ai.helicone.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/**
 * An application interceptor that answers every call itself with a canned body, without a
 * connection, so that a benchmark measures the client's interceptors and not the network. {@code
 * Helicone.instrument} puts its capture before the client's own interceptors, so the capture sees
 * this answer exactly as it would see a server's. Thread-safe.
 */
final class CannedAnswer implements Interceptor {
  static final MediaType JSON = MediaType.get("application/json");
  static final MediaType EVENT_STREAM = MediaType.get("text/event-stream");
  static final String URL = "https://api.openai.com/v1/chat/completions";
  static final String MODEL = "gpt-4o-mini-2024-07-18";

  private final MediaType contentType;
  private final byte[] body;
  private final int[] readEnds;

  private CannedAnswer(MediaType contentType, byte[] body, int[] readEnds) {
    this.contentType = contentType;
    this.body = body;
    this.readEnds = readEnds;
  }

  /** Answers with {@code body} as JSON, with its length declared, read in as few reads as asked. */
  static CannedAnswer json(byte[] body) {
    return new CannedAnswer(JSON, body, null);
  }

  /**
   * Answers with {@code body} as an event stream of unknown length whose source returns one event
   * per read, as a socket does when a provider sends its chunks apart.
   */
  static CannedAnswer eventStream(byte[] body) {
    return new CannedAnswer(EVENT_STREAM, body, eventEnds(body));
  }

  /** A client whose calls are all answered by {@code answer}; the base for both variants. */
  static OkHttpClient client(CannedAnswer answer) {
    return new OkHttpClient.Builder().addInterceptor(answer).build();
  }

  /** A chat completion request as an application sends it, with a key to redact. */
  static Request chatRequest(boolean stream) {
    String json =
        "{\"model\":\"gpt-4o-mini\",\"stream\":"
            + stream
            + ",\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":\"You are"
            + " terse.\"},{\"role\":\"user\",\"content\":\"Summarise the report in one line.\"}]}";
    return new Request.Builder()
        .url(URL)
        .header("Authorization", "Bearer sk-bench-not-a-key")
        .post(RequestBody.create(json, JSON))
        .build();
  }

  @Override
  public Response intercept(Chain chain) {
    ResponseBody responseBody =
        readEnds == null
            ? ResponseBody.create(body, contentType)
            : new EventStreamBody(contentType, body, readEnds);
    return new Response.Builder()
        .request(chain.request())
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .header("Content-Type", contentType.toString())
        .header("x-request-id", "req_bench")
        .body(responseBody)
        .build();
  }

  /** A non-streamed chat completion of about 1 KB, with usage. */
  static byte[] chatCompletion() {
    String json =
        "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\""
            + MODEL
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + "The report finds that quarterly revenue grew by 12% while operating costs stayed"
            + " flat, driven mainly by the new subscription tier in Europe and by lower churn"
            + " among enterprise customers. Risks named are currency exposure, a delayed"
            + " product launch in Asia and rising cloud costs; the authors recommend hedging,"
            + " a phased launch and a review of reserved capacity before the next budget cycle."
            + " Overall outlook: cautiously positive, with guidance unchanged for the year.\","
            + "\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":96,\"total_tokens\":127,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_bench\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A streamed chat completion of {@code events} events: a role chunk, content chunks, a finish
   * chunk, a usage chunk and {@code [DONE]}.
   */
  static byte[] chatStream(int events) {
    String prefix =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\""
            + MODEL
            + "\",\"system_fingerprint\":\"fp_bench\",\"choices\":";
    StringBuilder sb = new StringBuilder();
    sb.append(prefix)
        .append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},")
        .append("\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < events - 4; i++) {
      sb.append(prefix)
          .append("[{\"index\":0,\"delta\":{\"content\":\" token")
          .append(i)
          .append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    sb.append(prefix)
        .append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
    sb.append(prefix)
        .append("[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":")
        .append(events - 3)
        .append(",\"total_tokens\":")
        .append(events + 28)
        .append("}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The offsets just past each event's blank line. */
  static int[] eventEnds(byte[] stream) {
    List<Integer> ends = new ArrayList<>();
    for (int i = 1; i < stream.length; i++) {
      if (stream[i] == '\n' && stream[i - 1] == '\n') {
        ends.add(i + 1);
      }
    }
    return ends.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A body of unknown length whose source hands out at most one event per read. */
  private static final class EventStreamBody extends ResponseBody {
    private final MediaType contentType;
    private final BufferedSource source;

    EventStreamBody(MediaType contentType, byte[] bytes, int[] ends) {
      this.contentType = contentType;
      this.source = Okio.buffer(new EventPerReadSource(bytes, ends));
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return -1;
    }

    @Override
    public BufferedSource source() {
      return source;
    }
  }

  private static final class EventPerReadSource implements Source {
    private final byte[] bytes;
    private final int[] ends;
    private int position;
    private int nextEvent;

    EventPerReadSource(byte[] bytes, int[] ends) {
      this.bytes = bytes;
      this.ends = ends;
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      if (position >= bytes.length) {
        return -1;
      }
      while (nextEvent < ends.length && ends[nextEvent] <= position) {
        nextEvent++;
      }
      int end = nextEvent < ends.length ? ends[nextEvent] : bytes.length;
      int count = (int) Math.min(byteCount, end - position);
      sink.write(bytes, position, count);
      position += count;
      return count;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
