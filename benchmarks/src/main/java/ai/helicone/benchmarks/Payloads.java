package ai.helicone.benchmarks;

import java.nio.charset.StandardCharsets;

/** The canned request and answers: a 1 KB chat completion and a 500-event (about 100 KB) stream. */
final class Payloads {
  static final int EVENTS = 500;
  static final String MODEL = "gpt-4o-mini-2024-07-18";

  private Payloads() {}

  static byte[] chatRequest(boolean stream) {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a"
            + " helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the plot of"
            + " Hamlet in three sentences.\"}],\"temperature\":0.2"
            + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
            + "}";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] chatCompletion() {
    StringBuilder content = new StringBuilder();
    while (content.length() < 600) {
      content.append("Hamlet, prince of Denmark, avenges his father's murder. ");
    }
    // Pretty-printed, as OpenAI sends it.
    String body =
        """
        {
          "id": "chatcmpl-bench",
          "object": "chat.completion",
          "created": 1732000000,
          "model": "%s",
          "choices": [{"index": 0, "message": {"role": "assistant", "content": "%s"},
            "finish_reason": "stop"}],
          "usage": {"prompt_tokens": 32, "completion_tokens": 120, "total_tokens": 152}
        }
        """
            .formatted(MODEL, content);
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** The events of the stream, each with its blank line: content chunks, a usage chunk, [DONE]. */
  static byte[][] streamEvents() {
    byte[][] events = new byte[EVENTS][];
    String head =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
            + "\"model\":\""
            + MODEL
            + "\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":{";
    for (int i = 0; i < EVENTS - 2; i++) {
      String delta = i == 0 ? "\"role\":\"assistant\",\"content\":\"\"" : "\"content\":\" word\"";
      events[i] =
          (head + delta + "},\"logprobs\":null,\"finish_reason\":null}]}\n\n")
              .getBytes(StandardCharsets.UTF_8);
    }
    events[EVENTS - 2] =
        ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1732000000,\"model\":\""
                + MODEL
                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":32,\"completion_tokens\":"
                + (EVENTS - 3)
                + ",\"total_tokens\":"
                + (EVENTS + 29)
                + "}}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    events[EVENTS - 1] = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    return events;
  }
}
