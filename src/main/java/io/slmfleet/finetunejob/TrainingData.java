package io.slmfleet.finetunejob;

import io.slmfleet.api.v1alpha1.DatasetSpec;
import io.slmfleet.api.v1alpha1.FineTuneJob;

/**
 * The data set as each built-in trainer reads it. Curation writes OpenAI chat messages, tool calls included (an
 * assistant turn with {@code content: null} and {@code tool_calls}, a {@code tool} message with the result, the
 * schemas in {@code tools}); the trainers read them differently:
 * <ul>
 * <li>TRL 1.8.0 ({@code trl/trainer/sft_trainer.py}, tokenize_fn): messages go to the chat template as they are, and
 * {@code tools} may be a JSON string, which it parses ({@code json.loads(tools) if isinstance(tools, str)}); the
 * datasets library's JSON loader infers one Arrow schema for all rows, so tool schemas that differ between rows break
 * it (docs/source/dataset_formats.md: store {@code tools} as a JSON string). So: {@code tools} as a JSON string, tool
 * call arguments as JSON strings (OpenAI's form), content parts joined into a string.
 * <li>torchtune 0.6.1 ({@code torchtune/data/_messages.py}): OpenAIToMessages reads only string or list content (null
 * raises or silently repeats the previous text), drops {@code tool_calls} and {@code tools}, knows no role
 * {@code tool}; validate_messages wants the system message first only and every assistant turn right after a user
 * turn. So: a tool call becomes its JSON text in the assistant turn, a tool result a user turn ("Tool result: ..."),
 * consecutive turns of one side are joined, and the tool schemas go into the system message.
 * <li>NeMo 2.4.0 ({@code nemo/collections/llm/gpt/data/utils.py}, _chat_preprocess): messages and {@code tools} go to
 * the Hugging Face chat template as they are, which expects tool call arguments as objects. So: arguments parsed.
 * </ul>
 * Before any of that, and before the trainer loads a model, every line of the source files is checked; the first one
 * the trainer could not read fails the run as a configuration error with reason {@code DatasetIncompatible}, the file
 * and the line number in the message.
 */
final class TrainingData {

    /** The prefix of the termination message that FineTuneStatusLogic reads as reason DatasetIncompatible. */
    static final String INCOMPATIBLE = "dataset incompatible:";

    /** argv: check|convert, trainer, format, then the files to check or the dataset directory to convert. */
    static final String PROGRAM = """
            import json, os, sys

            mode, trainer, data_format = sys.argv[1:4]
            ROLES = ("system", "user", "assistant", "tool")

            class Incompatible(Exception):
                pass

            def text(content, where):
                if isinstance(content, str):
                    return content
                if isinstance(content, list) and all(isinstance(part, dict) and part.get("type") == "text"
                                                     and isinstance(part.get("text"), str) for part in content):
                    return "".join(part["text"] for part in content)
                raise Incompatible(where + ".content must be a string or a list of text parts")

            def call(tool_call, where):
                function = tool_call.get("function") if isinstance(tool_call, dict) else None
                if not isinstance(function, dict) or not isinstance(function.get("name"), str) or not function["name"]:
                    raise Incompatible(where + " needs function.name")
                arguments = function.get("arguments", {})
                if isinstance(arguments, str):
                    try:
                        arguments = json.loads(arguments) if arguments.strip() else {}
                    except ValueError:
                        raise Incompatible(where + ".function.arguments is not JSON")
                if not isinstance(arguments, dict):
                    raise Incompatible(where + ".function.arguments must be a JSON object")
                return {"id": tool_call.get("id"), "name": function["name"], "arguments": arguments}

            def chat(example):
                messages = example.get("messages")
                if not isinstance(messages, list) or not messages:
                    raise Incompatible('"messages" must be a non-empty list')
                turns = []
                for i, message in enumerate(messages):
                    where = "messages[%d]" % i
                    if not isinstance(message, dict) or message.get("role") not in ROLES:
                        raise Incompatible(where + " needs a role among " + ", ".join(ROLES))
                    calls = message.get("tool_calls")
                    if calls is not None and (message["role"] != "assistant" or not isinstance(calls, list) or not calls):
                        raise Incompatible(where + ".tool_calls must be a non-empty list, on an assistant message")
                    if message.get("content") is None and calls is None:
                        raise Incompatible(where + " has no content (only an assistant turn with tool_calls may have none)")
                    turns.append({"role": message["role"],
                                  "content": None if message.get("content") is None else text(message["content"], where),
                                  "calls": [call(c, "%s.tool_calls[%d]" % (where, j)) for j, c in enumerate(calls or [])],
                                  "name": message.get("name"), "tool_call_id": message.get("tool_call_id")})
                if not any(turn["role"] == "assistant" for turn in turns):
                    raise Incompatible("no assistant message: nothing to train on")
                tools = example.get("tools")
                if isinstance(tools, str):
                    try:
                        tools = json.loads(tools)
                    except ValueError:
                        raise Incompatible('"tools" is not JSON')
                if tools is not None and not (isinstance(tools, list) and all(isinstance(t, dict) for t in tools)):
                    raise Incompatible('"tools" must be a list of tool schemas')
                return turns, tools or None

            def openai(turn, arguments_as_text):
                message = {"role": turn["role"], "content": turn["content"]}
                if turn["calls"]:
                    message["tool_calls"] = [{"id": c["id"], "type": "function", "function": {"name": c["name"],
                        "arguments": json.dumps(c["arguments"]) if arguments_as_text else c["arguments"]}}
                        for c in turn["calls"]]
                for key in ("name", "tool_call_id"):
                    if turn[key] is not None:
                        message[key] = turn[key]
                return message

            def torchtune(turns, tools):
                converted = []
                for turn in turns:
                    role, content = turn["role"], turn["content"] or ""
                    if turn["calls"]:
                        content = "\\n".join(([content] if content else [])
                                            + [json.dumps({"name": c["name"], "arguments": c["arguments"]}) for c in turn["calls"]])
                    if role == "tool":
                        role, content = "user", "Tool result" + (" (%s)" % turn["name"] if turn["name"] else "") + ":\\n" + content
                    if converted and role == converted[-1]["role"] and role != "system":
                        converted[-1]["content"] += "\\n\\n" + content
                    else:
                        converted.append({"role": role, "content": content})
                if tools:
                    schemas = "Tools you can call, as JSON schemas:\\n" + json.dumps(tools)
                    if converted[0]["role"] == "system":
                        converted[0]["content"] += "\\n\\n" + schemas
                    else:
                        converted.insert(0, {"role": "system", "content": schemas})
                last = "assistant"
                for i, message in enumerate(converted):
                    if message["role"] == "system" and i > 0:
                        raise Incompatible("messages[%d]: torchtune takes one system message, the first" % i)
                    if message["role"] == "assistant" and last != "user":
                        raise Incompatible("messages[%d]: torchtune wants every assistant turn right after a user turn" % i)
                    last = message["role"]
                return {"messages": converted}

            def example_for(example):
                if not isinstance(example, dict):
                    raise Incompatible("not a JSON object")
                if data_format == "prompt-completion":
                    for key in ("prompt", "completion"):
                        if not isinstance(example.get(key), str) or not example[key]:
                            raise Incompatible('"%s" must be a non-empty string' % key)
                    return {"prompt": example["prompt"], "completion": example["completion"]}
                turns, tools = chat(example)
                if trainer == "torchtune":
                    return torchtune(turns, tools)
                converted = {"messages": [openai(turn, trainer == "trl") for turn in turns]}
                if tools:
                    converted["tools"] = json.dumps(tools) if trainer == "trl" else tools
                return converted

            def examples(path):
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        if line.strip():
                            try:
                                yield example_for(json.loads(line))
                            except ValueError as e:
                                raise Incompatible("%s line %d: not JSON (%s)" % (os.path.basename(path), number, e))
                            except Incompatible as e:
                                raise Incompatible("%s line %d: %s" % (os.path.basename(path), number, e))

            try:
                if mode == "check":
                    for path in sys.argv[4:]:
                        for _ in examples(path):
                            pass
                else:
                    for name in ("train.jsonl", "validation.jsonl"):
                        path = os.path.join(sys.argv[4], name)
                        if os.path.exists(path):
                            with open(path + ".converted", "w", encoding="utf-8") as out:
                                for example in examples(path):
                                    out.write(json.dumps(example, ensure_ascii=False) + "\\n")
                            os.replace(path + ".converted", path)
            except Incompatible as e:
                sys.exit(str(e))
            """;

    private TrainingData() {
    }

    /** Shell lines that write the program, to run before the data set is split (check) and after (convert). */
    static String install() {
        return """

                # The data set as the trainer reads it: checked line by line first, converted after the split.
                cat > "$SCRATCH/training_data.py" <<'PY'
                %sPY
                incompatible_dataset() {
                  echo "%s $*" >&2
                  printf '%s %%s\\n' "$*" > "$TERMINATION_LOG"
                  exit "$CONFIGURATION_ERROR"
                }
                """.formatted(PROGRAM, INCOMPATIBLE, INCOMPATIBLE);
    }

    /** Checks the source files (shell words) before anything is split or downloaded into the trainer. */
    static String check(FineTuneJob job, String files) {
        return "WHY=$(python3 \"$SCRATCH/training_data.py\" check " + arguments(job) + " " + files
                + " 2>&1) || incompatible_dataset \"$WHY\"\n";
    }

    /** Rewrites $SCRATCH/dataset/{train,validation}.jsonl in the trainer's form. */
    static String convert(FineTuneJob job) {
        return "WHY=$(python3 \"$SCRATCH/training_data.py\" convert " + arguments(job)
                + " \"$SCRATCH/dataset\" 2>&1) || incompatible_dataset \"$WHY\"\n";
    }

    private static String arguments(FineTuneJob job) {
        return job.getSpec().trainer.preset.name() + " "
                + (job.getSpec().dataset.format == DatasetSpec.Format.chat ? "chat" : "prompt-completion");
    }
}
