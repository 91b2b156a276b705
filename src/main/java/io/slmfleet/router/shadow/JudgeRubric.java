package io.slmfleet.router.shadow;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the judge LLM is asked and how its reply becomes a score: a grade from 1 (wrong or unrelated) to 5 (the same
 * answer in substance), scaled to [0, 1]. Pure: no call is made here.
 */
public final class JudgeRubric {

    /** Longest piece of text (request, reference, candidate) put in front of the judge, in characters. */
    static final int MAX_TEXT = 8000;

    static final String INSTRUCTIONS = """
            You grade a candidate answer against a reference answer to the same request. \
            Judge only whether the candidate says the same thing in substance: facts, values, decisions. \
            Ignore wording, tone and length. Grade on this scale: \
            5 = same substance; 4 = same substance, a minor detail differs or is missing; \
            3 = partly the same, something that matters differs; 2 = mostly different or wrong; \
            1 = wrong, unrelated or empty. \
            Reply with the grade only, a single digit from 1 to 5.""";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern GRADE = Pattern.compile("^\\W*([1-5])(\\s*/\\s*5)?\\W*$");

    private JudgeRubric() {
    }

    /**
     * @param model the judge's model
     * @param request the caller's messages (chat) or prompt (completions)
     * @return a chat completion request body for the judge
     */
    public static ObjectNode request(String model, JsonNode request, String reference, String candidate) {
        ObjectNode body = MAPPER.createObjectNode().put("model", model).put("temperature", 0).put("max_tokens", 5);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", INSTRUCTIONS);
        messages.addObject().put("role", "user").put("content", "Request:\n" + bounded(String.valueOf(request))
                + "\n\nReference answer:\n" + bounded(reference) + "\n\nCandidate answer:\n" + bounded(candidate));
        return body;
    }

    /** @return the grade scaled to [0, 1], or empty when the judge's completion holds no grade alone */
    public static OptionalDouble score(JsonNode judgeCompletion) {
        JsonNode content = judgeCompletion == null ? null
                : judgeCompletion.path("choices").path(0).path("message").path("content");
        if (content == null || !content.isTextual()) {
            return OptionalDouble.empty();
        }
        Matcher grade = GRADE.matcher(content.asText().strip());
        if (!grade.matches()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((Integer.parseInt(grade.group(1)) - 1) / 4.0);
    }

    private static String bounded(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + " [...]";
    }
}
