package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Encoding O200K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private static long t(String s) {
    return O200K.countTokensOrdinary(s);
  }

  @Test
  void encodingsByModel() {
    for (String m :
        List.of(
            "gpt-4o",
            "gpt-4o-mini-2024-07-18",
            "gpt-4.1-nano",
            "gpt-4.5-preview",
            "gpt-5",
            "gpt-5.1-codex",
            "o1",
            "o3-mini",
            "o4-mini",
            "chatgpt-4o-latest",
            "llama3.2",
            "openai/gpt-4o",
            "ft:gpt-4.1-mini:acme::abc")) {
      assertThat(TokenEstimator.encodingType(m)).as(m).isEqualTo(EncodingType.O200K_BASE);
    }
    for (String m :
        List.of(
            "gpt-4",
            "gpt-4-turbo",
            "gpt-3.5-turbo-0125",
            "gpt-35-turbo",
            "text-embedding-3-large",
            "text-embedding-ada-002",
            "ft:gpt-3.5-turbo:org::id",
            "ft:gpt-3.5-turbo-0125:acme::abc")) {
      assertThat(TokenEstimator.encodingType(m)).as(m).isEqualTo(EncodingType.CL100K_BASE);
    }
    assertThat(TokenEstimator.encodingType(null)).isEqualTo(EncodingType.O200K_BASE);
  }

  @Test
  void chatOverheadAsDocumented() throws Exception {
    String request =
        "{\"messages\":["
            + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"name\":\"ann\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}";
    long expected =
        (3 + t("system") + t("Be brief."))
            + (3 + t("user") + t("Hi") + t("ann") + 1)
            + (3 + t("assistant") + t("f") + t("{}"))
            + 3;
    assertThat(TokenEstimator.countPrompt("gpt-4o", "chat", MAPPER.readTree(request)))
        .isEqualTo(expected);
  }

  @Test
  void specialTokenTextIsCountedAsOrdinaryText() throws Exception {
    String text = "before <|endoftext|> after <|im_start|>";
    assertThat(TokenEstimator.countTexts("gpt-4o", List.of(text))).isEqualTo(t(text));
    assertThat(
            TokenEstimator.countPrompt(
                "gpt-4", "text_completion", MAPPER.readTree("{\"prompt\":\"<|endoftext|>\"}")))
        .isPositive();
  }

  @Test
  void promptsOfOtherOperations() throws Exception {
    assertThat(
            TokenEstimator.countPrompt(
                "gpt-4o", "embeddings", MAPPER.readTree("{\"input\":[[1,2,3],[4,5]]}")))
        .isEqualTo(5);
    assertThat(
            TokenEstimator.countPrompt(
                "gpt-4o", "embeddings", MAPPER.readTree("{\"input\":[1,2,3]}")))
        .isEqualTo(3);
    assertThat(
            TokenEstimator.countPrompt(
                "gpt-4o",
                "responses",
                MAPPER.readTree(
                    "{\"instructions\":\"Be brief.\",\"input\":[{\"role\":\"user\","
                        + "\"content\":[{\"type\":\"input_text\",\"text\":\"Hi\"}]},"
                        + "{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"42\"}]}")))
        .isEqualTo((3 + t("system") + t("Be brief.")) + (3 + t("user") + t("Hi")) + t("42") + 3);
    assertThat(TokenEstimator.countPrompt("gpt-4o", null, MAPPER.readTree("{}"))).isZero();
  }

  @Test
  void reasoningSentUnderBothNamesIsCountedOnce() throws Exception {
    String response =
        "{\"choices\":[{\"message\":{\"content\":\"42\",\"reasoning_content\":\"Think hard.\","
            + "\"reasoning\":\"Think hard.\"}}]}";
    assertThat(TokenEstimator.countCompletion("gpt-4o", "chat", MAPPER.readTree(response)))
        .isEqualTo(t("42") + t("Think hard."));
  }
}
