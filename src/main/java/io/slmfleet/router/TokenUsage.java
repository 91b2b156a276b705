package io.slmfleet.router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Token counts from an answer's usage field. The parser starts at the usage object instead of reading the whole
 * answer: the bytes {@code "usage"} followed by a colon can only be a key (a quote inside a JSON string is escaped),
 * and answers put usage last, so the search runs from the end.
 */
record TokenUsage(long prompt, long completion) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final TokenUsage NONE = new TokenUsage(0, 0);
    private static final byte[] KEY = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    /** @return zeros when the answer is not JSON or has no usage */
    static TokenUsage of(byte[] answer) {
        int object = usageObject(answer);
        if (object < 0) {
            return NONE;
        }
        try (JsonParser parser = JSON.createParser(answer, object, answer.length - object)) {
            parser.nextToken();
            long prompt = 0;
            long completion = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
                    prompt = parser.getLongValue();
                } else if (value == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
                    completion = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
            return new TokenUsage(prompt, completion);
        } catch (IOException e) {
            return NONE;
        }
    }

    /** @return the offset of the '{' that opens the usage object, or -1 */
    private static int usageObject(byte[] answer) {
        for (int at = answer.length - KEY.length; at >= 0; at--) {
            if (!matchesKey(answer, at)) {
                continue;
            }
            int next = skipSpace(answer, at + KEY.length);
            if (next < answer.length && answer[next] == ':') {
                next = skipSpace(answer, next + 1);
                return next < answer.length && answer[next] == '{' ? next : -1;
            }
        }
        return -1;
    }

    private static boolean matchesKey(byte[] answer, int at) {
        for (int i = 0; i < KEY.length; i++) {
            if (answer[at + i] != KEY[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] answer, int at) {
        while (at < answer.length && (answer[at] == ' ' || answer[at] == '\n' || answer[at] == '\r' || answer[at] == '\t')) {
            at++;
        }
        return at;
    }
}
