import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes router usage records (docs/router.md, "Usage capture") for the curation benchmark: several tasks (invoice
 * parsing with a JSON schema, support triage and refunds with tool calls, unrouted summaries and translations),
 * answers by the fallback LLM and by specialists, a few invalid outputs and broken tool-call arguments, personal data
 * in about a fifth of the requests, and 30 % of the records repeating an earlier request's user text (in another case
 * or spacing). Deterministic: the same arguments write the same bytes. Rotated into 64 MB files, as the router does.
 *
 *   java bench/CurateUsageGenerator.java <directory> [records, default 1000000]
 */
public class CurateUsageGenerator {

    static final long FILE_BYTES = 64L << 20;
    static final String[] VENDORS = { "ACME GmbH", "Globex Corporation", "Initech Ltd", "Umbrella Logistics",
            "Stark Industries", "Wayne Enterprises", "Tyrell Components", "Soylent Foods", "Hooli Cloud", "Vandelay Imports" };
    static final String[] ITEMS = { "consulting hours", "GPU rental (A100, hourly)", "office chairs", "laptop stands",
            "annual software licence", "cloud storage (TB-month)", "shipping and handling", "on-site support visit",
            "training workshop", "replacement keyboards", "network switches", "printer toner" };
    static final String[] WORDS = ("the order arrived late and the box was damaged so I would like to know what happens "
            + "next with my delivery because the tracking page has not changed since last week and nobody answered "
            + "my previous email about the missing parts of the shipment or the wrong colour of the item I received")
            .split(" ");
    static final String[] PII = { "jane.doe@example.com", "+44 20 7946 0958", "DE89 3704 0044 0532 0130 00",
            "078-05-1120", "api_key=sk-proj-AbCdEfGhIjKlMnOpQrStUv123456", "4111 1111 1111 1111", "10.20.30.40",
            "GB82WEST12345698765432", "AB 12 34 56 C" };

    final Random random;
    final List<String> recentTexts = new ArrayList<>();
    long sequence;

    CurateUsageGenerator(long seed) {
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java bench/CurateUsageGenerator.java <directory> [records]");
            System.exit(2);
        }
        Path directory = Files.createDirectories(Path.of(args[0]));
        long records = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        CurateUsageGenerator generator = new CurateUsageGenerator(20261202);
        int file = 0;
        long written = 0;
        long bytes = 0;
        BufferedWriter out = null;
        for (long i = 0; i < records; i++) {
            if (out == null || bytes >= FILE_BYTES * (file)) {
                if (out != null) {
                    out.close();
                }
                out = Files.newBufferedWriter(directory.resolve(String.format("usage-router-%d-20261201T000000.000Z-%d.jsonl",
                        file % 2, file)), StandardCharsets.UTF_8);
                file++;
            }
            String line = generator.record();
            out.write(line);
            out.write('\n');
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
            written++;
        }
        if (out != null) {
            out.close();
        }
        System.out.printf("wrote %,d records, %,d bytes in %d files to %s%n", written, bytes, file, directory);
    }

    String record() {
        sequence++;
        String time = String.format("2026-11-%02dT%02d:%02d:%02dZ", 1 + (int) (sequence % 28), (int) (sequence / 7 % 24),
                (int) (sequence / 3 % 60), (int) (sequence % 60));
        int kind = random.nextInt(100);
        boolean teacher = random.nextInt(100) < 45;
        String task;
        String system;
        String user;
        String tools = null;
        String responseFormat = null;
        String answer;
        String target;
        if (kind < 40) {
            task = "parsing";
            system = "You extract invoice fields (vendor, date, total, currency, IBAN, line items) and answer with JSON "
                    + "matching the invoice schema. Never invent values that are not in the text.";
            user = userText(this::invoiceText);
            responseFormat = "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"invoice\",\"schema\":{\"type\":\"object\"}}}";
            answer = "{\"role\":\"assistant\",\"content\":" + quote("{\"vendor\": \"" + VENDORS[random.nextInt(VENDORS.length)]
                    + "\", \"total\": " + (random.nextInt(90000) / 100.0) + ", \"currency\": \"EUR\", \"items\": "
                    + (1 + random.nextInt(6)) + "}") + "}";
            target = "invoice-parser";
        } else if (kind < 65) {
            task = "triage";
            system = "You are the support desk of an online shop. Use the tools to look up orders, open tickets or "
                    + "escalate to a human. Be brief.";
            user = userText(this::complaint);
            tools = tools("lookup_order", "create_ticket", "escalate_to_human");
            String tool = new String[] { "lookup_order", "create_ticket", "escalate_to_human" }[random.nextInt(3)];
            answer = toolCall(tool, "{\"order_id\": \"ORD-" + random.nextInt(1_000_000) + "\", \"priority\": \""
                    + (random.nextBoolean() ? "high" : "normal") + "\"}");
            target = "support-slm";
        } else if (kind < 80) {
            task = "refunds";
            system = "You decide refunds for damaged or missing goods and call issue_refund with the amount.";
            user = userText(this::complaint);
            tools = tools("issue_refund", "lookup_order");
            boolean broken = random.nextInt(100) < 3;
            answer = toolCall("issue_refund", broken ? "{\"amount\": 12.5, \"reason\": \"damaged"
                    : "{\"amount\": " + (random.nextInt(20000) / 100.0) + ", \"reason\": \"damaged\"}");
            target = "refund-slm";
        } else {
            // unrouted: the fallback answers requests no route knows
            task = null;
            teacher = true;
            boolean translate = random.nextBoolean();
            system = translate ? "Translate the user's text to German. Keep names and numbers."
                    : "Summarise the meeting notes in three bullet points.";
            user = userText(this::complaint);
            answer = "{\"role\":\"assistant\",\"content\":" + quote(sentence(20 + random.nextInt(40))) + "}";
            target = null;
        }
        String outcome = "ok";
        if (!teacher && random.nextInt(100) < 3) {
            outcome = "invalid_output";
        }
        StringBuilder json = new StringBuilder(1200);
        json.append("{\"schemaVersion\":1,\"time\":\"").append(time).append("\",\"agentRoute\":\"agents/shop-agent\",");
        json.append("\"task\":").append(task == null ? "null" : quote(task)).append(',');
        json.append("\"target\":").append(quote(teacher ? "fallback" : target)).append(',');
        json.append("\"fallbackReason\":").append(teacher ? quote(task == null ? "unknownTask" : "error") : "null").append(',');
        json.append("\"status\":200,\"outcome\":").append(quote(outcome)).append(',');
        json.append("\"latencyMs\":").append(100 + random.nextInt(3000)).append(".5,");
        int prompt = (system.length() + user.length()) / 4;
        int completion = answer.length() / 4;
        json.append("\"usage\":{\"prompt_tokens\":").append(prompt).append(",\"completion_tokens\":").append(completion)
                .append(",\"total_tokens\":").append(prompt + completion).append("},");
        json.append("\"request\":{\"messages\":[{\"role\":\"system\",\"content\":").append(quote(system))
                .append("},{\"role\":\"user\",\"content\":").append(quote(user)).append("}]");
        if (tools != null) {
            json.append(",\"tools\":").append(tools);
        }
        if (responseFormat != null) {
            json.append(",\"response_format\":").append(responseFormat);
        }
        json.append("},\"response\":{\"choices\":[{\"index\":0,\"message\":").append(answer)
                .append(",\"finish_reason\":\"stop\"}]}}");
        return json.toString();
    }

    /** 30 % repeat a recent text, in another case or spacing; the rest are new (a fifth with personal data). */
    String userText(java.util.function.Supplier<String> fresh) {
        if (!recentTexts.isEmpty() && random.nextInt(100) < 30) {
            String earlier = recentTexts.get(random.nextInt(recentTexts.size()));
            return switch (random.nextInt(3)) {
                case 0 -> earlier;
                case 1 -> earlier.toUpperCase();
                default -> "  " + earlier.replace(" ", "  ") + "\n";
            };
        }
        String text = fresh.get();
        if (random.nextInt(100) < 20) {
            text += " Contact: " + PII[random.nextInt(PII.length)] + ".";
        }
        if (recentTexts.size() < 50_000) {
            recentTexts.add(text);
        } else {
            recentTexts.set(random.nextInt(recentTexts.size()), text);
        }
        return text;
    }

    String invoiceText() {
        StringBuilder text = new StringBuilder("Please parse this invoice.\nINVOICE " + VENDORS[random.nextInt(VENDORS.length)]
                + " No. INV-2026-" + random.nextInt(100000) + "\nDate: 2026-11-" + (10 + random.nextInt(18)) + "\n");
        int lines = 2 + random.nextInt(8);
        for (int i = 0; i < lines; i++) {
            text.append(1 + random.nextInt(20)).append(" x ").append(ITEMS[random.nextInt(ITEMS.length)]).append(" @ ")
                    .append(random.nextInt(50000) / 100.0).append(" EUR\n");
        }
        text.append("Total due within 30 days. Thank you for your business.");
        return text.toString();
    }

    String complaint() {
        return "Order ORD-" + random.nextInt(1_000_000) + ": " + sentence(15 + random.nextInt(50));
    }

    String sentence(int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.append('.').toString();
    }

    static String tools(String... names) {
        StringBuilder json = new StringBuilder("[");
        for (String name : names) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"type\":\"function\",\"function\":{\"name\":\"").append(name).append("\",\"description\":\"")
                    .append(name.replace('_', ' ')).append(" for the customer's order\",\"parameters\":{\"type\":\"object\","
                            + "\"properties\":{\"order_id\":{\"type\":\"string\"}},\"required\":[\"order_id\"]}}}");
        }
        return json.append(']').toString();
    }

    String toolCall(String name, String arguments) {
        return "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_" + random.nextInt(1 << 30)
                + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":" + quote(arguments) + "}}]}";
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
