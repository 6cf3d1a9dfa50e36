package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Locale;

/**
 * Counts tokens locally with jtokkit when a provider reported no usage. Uses its own model to
 * encoding table (jtokkit's lookup lags behind new models) and OpenAI's documented chat overhead: 3
 * tokens per message, 1 more per {@code name}, 3 to prime the reply. Tool definitions and images
 * are not counted, so estimates of such requests are low. Special-token text such as {@code
 * <|endoftext|>} is counted as ordinary text. Each encoding loads once, on first use (the larger
 * one takes a few hundred milliseconds). Thread-safe.
 */
public final class TokenEstimator {
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;

  private TokenEstimator() {}

  // Holder classes: each encoding is built on first use, exactly once.
  private static final class O200k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private static final class Cl100k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /** The encoding family of a model: {@code o200k_base} or {@code cl100k_base}. */
  public static EncodingType encodingType(String model) {
    if (model == null) {
      return EncodingType.O200K_BASE;
    }
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("ft:")) {
      m = m.substring(3);
    }
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    if (m.startsWith("gpt-4o")
        || m.startsWith("gpt-4.1")
        || m.startsWith("gpt-4.5")
        || m.startsWith("chatgpt-4o")) {
      return EncodingType.O200K_BASE;
    }
    if (m.startsWith("gpt-4")
        || m.startsWith("gpt-3.5")
        || m.startsWith("gpt-35")
        || m.startsWith("text-embedding-")
        || m.startsWith("davinci-002")
        || m.startsWith("babbage-002")) {
      return EncodingType.CL100K_BASE;
    }
    // gpt-5 and later, the o-series, and models we do not know.
    return EncodingType.O200K_BASE;
  }

  private static Encoding encoding(String model) {
    return encodingType(model) == EncodingType.CL100K_BASE ? Cl100k.ENCODING : O200k.ENCODING;
  }

  /** The tokens of plain texts. */
  public static long countTexts(String model, List<String> texts) {
    Encoding enc = encoding(model);
    long n = 0;
    for (String t : texts) {
      n += count(enc, t);
    }
    return n;
  }

  private static int count(Encoding enc, String text) {
    return text == null || text.isEmpty() ? 0 : enc.countTokensOrdinary(text);
  }

  /**
   * The prompt tokens of a request body, by operation: chat {@code messages}, Responses {@code
   * instructions} and {@code input}, legacy {@code prompt}, embeddings {@code input}.
   */
  public static long countPrompt(String model, String operation, JsonNode request) {
    Encoding enc = encoding(model);
    if (request == null || !request.isObject()) {
      return 0;
    }
    return switch (operation == null ? "" : operation) {
      case Endpoint.CHAT -> countMessages(enc, request.path("messages"));
      case Endpoint.RESPONSES -> countResponsesInput(enc, request);
      case Endpoint.TEXT_COMPLETION -> countInputs(enc, request.path("prompt"));
      case Endpoint.EMBEDDINGS -> countInputs(enc, request.path("input"));
      default -> 0;
    };
  }

  private static long countMessages(Encoding enc, JsonNode messages) {
    if (!messages.isArray()) {
      return 0;
    }
    long n = 0;
    for (JsonNode message : messages) {
      n += countMessage(enc, message);
    }
    return n + REPLY_PRIMING;
  }

  private static long countMessage(Encoding enc, JsonNode message) {
    long n = TOKENS_PER_MESSAGE;
    n += count(enc, Json.textField(message, "role"));
    n += countContent(enc, message.get("content"));
    String name = Json.textField(message, "name");
    if (name != null) {
      n += count(enc, name) + TOKENS_PER_NAME;
    }
    for (JsonNode call : message.path("tool_calls")) {
      n += count(enc, Json.textField(call.path("function"), "name"));
      n += count(enc, Json.textField(call.path("function"), "arguments"));
    }
    return n;
  }

  private static long countContent(Encoding enc, JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return count(enc, content.asText());
    }
    long n = 0;
    for (JsonNode part : content) {
      // Chat parts carry "text"; Responses parts carry "text" too (input_text, output_text).
      n += count(enc, Json.textField(part, "text"));
      n += count(enc, Json.textField(part, "refusal"));
    }
    return n;
  }

  private static long countResponsesInput(Encoding enc, JsonNode request) {
    long n = 0;
    String instructions = Json.textField(request, "instructions");
    if (instructions != null) {
      n += TOKENS_PER_MESSAGE + count(enc, "system") + count(enc, instructions);
    }
    JsonNode input = request.path("input");
    if (input.isTextual()) {
      n += TOKENS_PER_MESSAGE + count(enc, "user") + count(enc, input.asText());
    } else {
      for (JsonNode item : input) {
        if (item.has("content") || item.has("role")) {
          n += countMessage(enc, item);
        } else {
          // function_call and function_call_output items
          n += count(enc, Json.textField(item, "name"));
          n += count(enc, Json.textField(item, "arguments"));
          n += count(enc, Json.textField(item, "output"));
        }
      }
    }
    return n + REPLY_PRIMING;
  }

  private static long countInputs(Encoding enc, JsonNode input) {
    if (input.isTextual()) {
      return count(enc, input.asText());
    }
    if (!input.isArray()) {
      return 0;
    }
    long n = 0;
    for (JsonNode element : input) {
      if (element.isTextual()) {
        n += count(enc, element.asText());
      } else if (element.isArray()) {
        n += element.size();
      } else if (element.isNumber()) {
        // One array of token ids.
        n++;
      }
    }
    return n;
  }

  /** The generated tokens of a non-streamed response body, by operation. */
  public static long countCompletion(String model, String operation, JsonNode response) {
    Encoding enc = encoding(model);
    if (response == null || !response.isObject()) {
      return 0;
    }
    long n = 0;
    if (Endpoint.RESPONSES.equals(operation)) {
      for (JsonNode item : response.path("output")) {
        n += countContent(enc, item.get("content"));
        n += count(enc, Json.textField(item, "arguments"));
        n += count(enc, Json.textField(item, "name"));
        n += countContent(enc, item.get("summary"));
      }
      return n;
    }
    for (JsonNode choice : response.path("choices")) {
      n += count(enc, Json.textField(choice, "text"));
      JsonNode message = choice.path("message");
      n += countContent(enc, message.get("content"));
      n += count(enc, Json.textField(message, "refusal"));
      // Some servers send the same reasoning under both names.
      String reasoning = Json.textField(message, "reasoning_content");
      n += count(enc, reasoning != null ? reasoning : Json.textField(message, "reasoning"));
      for (JsonNode call : message.path("tool_calls")) {
        n += count(enc, Json.textField(call.path("function"), "name"));
        n += count(enc, Json.textField(call.path("function"), "arguments"));
      }
    }
    return n;
  }
}
