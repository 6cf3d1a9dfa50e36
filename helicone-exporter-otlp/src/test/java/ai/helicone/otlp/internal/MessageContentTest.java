package ai.helicone.otlp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageContentTest {
  private static String input(String requestJson) {
    return MessageContent.messagesJson(
        MessageContent.inputMessages(MessageContent.parse(requestJson)));
  }

  private static String output(String responseJson, List<String> finishReasons) {
    return MessageContent.messagesJson(
        MessageContent.outputMessages(MessageContent.parse(responseJson), finishReasons));
  }

  @Test
  void chatToolCallsAndToolResultsBecomeToolParts() {
    String request =
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather?\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:...\"}}]},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]}";

    assertThat(input(request))
        .isEqualTo(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather?\"},"
                + "{\"type\":\"image_url\"}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\","
                + "\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\","
                + "\"response\":\"sunny\"}]}]");
  }

  @Test
  void responsesApiItemsAndOutputs() {
    String request =
        "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hi\"}]},"
            + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"42\"}]}";
    String response =
        "{\"output\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"think\"}]},"
            + "{\"type\":\"function_call\",\"call_id\":\"c2\",\"name\":\"f\",\"arguments\":\"{}\"},"
            + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Done\"}]}]}";

    assertThat(input(request))
        .isEqualTo(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"c1\","
                + "\"response\":\"42\"}]}]");
    assertThat(output(response, List.of("completed")))
        .isEqualTo(
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"think\"},"
                + "{\"type\":\"tool_call\",\"id\":\"c2\",\"name\":\"f\",\"arguments\":{}},"
                + "{\"type\":\"text\",\"content\":\"Done\"}],\"finish_reason\":\"completed\"}]");
  }

  @Test
  void legacyCompletionsAndUnknownShapes() {
    assertThat(input("{\"prompt\":\"Once upon\"}"))
        .isEqualTo(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Once upon\"}]}]");
    assertThat(
            output(
                "{\"choices\":[{\"text\":\" a time\",\"finish_reason\":\"length\"}]}", List.of()))
        .isEqualTo(
            "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\" a time\"}],"
                + "\"finish_reason\":\"length\"}]");
    assertThat(input("{\"foo\":1}")).isEqualTo("[]");
    assertThat(input("[1,2]")).isEqualTo("[]");
    assertThat(MessageContent.parse("{not json")).isNull();
  }
}
