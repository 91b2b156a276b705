package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenUsageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"choices":[],"usage":{"prompt_tokens":42,"completion_tokens":12,"total_tokens":54}}            | 42 | 12
            {"usage" : { "completion_tokens" : 7, "details": {"prompt_tokens": 99}, "prompt_tokens": 3 }, "id": 1} | 3 | 7
            {"choices":[{"message":{"content":"the \\"usage\\": {\\"prompt_tokens\\": 5} of it"}}]}     | 0 | 0
            {"choices":[{"message":{"content":"usage"}}],"note":"usage","usage":null}                     | 0 | 0
            {"usage":{"prompt_tokens":1,                                                                  | 0 | 0
            not json                                                                                      | 0 | 0
            """)
    void readsTheUsageObjectOnly(String answer, long prompt, long completion) {
        assertThat(TokenUsage.of(answer.getBytes(StandardCharsets.UTF_8))).isEqualTo(new TokenUsage(prompt, completion));
    }
}
