package io.slmfleet.evaluation.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.slmfleet.evaluation.EvaluateCommand;
import io.slmfleet.evaluation.EvaluationSummary;

/**
 * How close the evaluate command comes to its ideal wall time: 1,000 examples asked of 4 fake OpenAI-compatible
 * candidates on loopback that each answer after 20 ms, at --concurrency 16. With no overhead at all the run takes
 * 4,000 x 20 ms / 16 = 5.0 s; it prints the wall time, that ideal, their ratio (the target is at most 1.2), the
 * candidates' median answer time as the command measured it, and the machine's load average before and after. It
 * gives no verdict when the 1-minute load average was above 2 at either end (the ratio then measures the other work on
 * the machine). A program that prints figures, not a test: it asserts nothing, and surefire does not run it (no
 * {@code *Test} name, no {@code @Test}).
 * <p>
 * Run (the application's dependencies from the packaged {@code target/quarkus-app/lib}):
 * {@code mvn -B -o -q package -DskipTests && java -cp "target/classes:target/test-classes:target/quarkus-app/lib/main/*"
 * io.slmfleet.evaluation.bench.EvaluateBenchmark [examples] [candidates] [delay ms] [concurrency]} (defaults 1000, 4,
 * 20, 16).
 */
public final class EvaluateBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final double TARGET_RATIO = 1.2;
    static final double MAX_LOAD = 2.0;

    public static void main(String[] args) throws Exception {
        int examples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int candidates = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long delayMillis = args.length > 2 ? Long.parseLong(args[2]) : 20;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        // The JDK's HttpServer writes a response's headers and body as two segments and by default leaves Nagle's
        // algorithm on: the body then waits for the ACK of the headers, which the client's kernel delays by up to
        // 40 ms. Measured here, that alone took the answers' median from 20 ms to 56 ms. Model servers (uvicorn, NIM)
        // set TCP_NODELAY, so the fakes do too: the figures are the command's, not a fake's socket option.
        // "-Dsun.net.httpserver.nodelay=false" on the command line shows the difference.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }

        String loadBefore = loadAverage();
        Path dir = Files.createTempDirectory("evaluate-bench");
        Path eval = dir.resolve("eval.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            ObjectNode example = MAPPER.createObjectNode();
            var messages = example.putArray("messages");
            messages.addObject().put("role", "system").put("content", "Extract the invoice as JSON.");
            messages.addObject().put("role", "user").put("content", "Parse invoice INV-" + i);
            messages.addObject().put("role", "assistant").put("content", reference(i));
            lines.add(example.toString());
        }
        Files.write(eval, lines);

        List<HttpServer> servers = new ArrayList<>();
        ExecutorService serverThreads = Executors.newCachedThreadPool();
        Path summary = dir.resolve("summary.json");
        Path report = dir.resolve("report.jsonl");
        List<String> arguments = new ArrayList<>(List.of("--dataset", eval.toString(), "--concurrency",
                String.valueOf(concurrency), "--summary-file", summary.toString(), "--report", report.toString()));
        try {
            for (int c = 0; c < candidates; c++) {
                HttpServer server = server(delayMillis, serverThreads);
                servers.add(server);
                arguments.addAll(List.of("--candidate", "slm-" + c + "=http://127.0.0.1:" + server.getAddress().getPort()
                        + "/v1", "--gpu-price", "slm-" + c + "=1"));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            int exit = new EvaluateCommand().run(arguments, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            double wallSeconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            String loadAfter = loadAverage();

            if (exit != 0) {
                System.out.println("evaluate exited " + exit + ":\n" + err.toString(StandardCharsets.UTF_8));
                return;
            }
            EvaluationSummary read = EvaluationSummary.parse(Files.readString(summary)).orElseThrow();
            long calls = (long) examples * candidates;
            double idealSeconds = calls * delayMillis / 1e3 / concurrency;
            double ratio = wallSeconds / idealSeconds;
            long errors = read.candidates().stream().mapToLong(EvaluationSummary.CandidateSummary::error).sum();
            double p50 = read.candidates().stream().mapToDouble(c -> c.p50Ms() == null ? Double.NaN : c.p50Ms())
                    .average().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "%d examples x %d candidates = %d calls, answers after %d ms, --concurrency %d;"
                    + " %d cores; fake servers' TCP_NODELAY %s%n", examples, candidates, calls, delayMillis, concurrency,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("sun.net.httpserver.nodelay"));
            System.out.printf(Locale.ROOT, "wall time %.2f s, ideal %d x %d ms / %d = %.2f s, ratio %.3f (target <= %.1f)%n",
                    wallSeconds, calls, delayMillis, concurrency, idealSeconds, ratio, TARGET_RATIO);
            System.out.printf(Locale.ROOT, "median answer time (mean of the candidates' p50) %.1f ms; %d errors%n", p50,
                    errors);
            // the report is in data set order, the order the calls were started in: the first quarter is the cold JVM's
            double[] latencies = Files.readAllLines(report).stream().map(EvaluateBenchmark::latency)
                    .filter(latency -> !Double.isNaN(latency)).mapToDouble(Double::doubleValue).toArray();
            int quarter = latencies.length / 4;
            System.out.printf(Locale.ROOT, "median answer time of the first %d calls %.1f ms, of the last %d %.1f ms "
                    + "(JIT warm-up)%n", quarter, median(latencies, 0, quarter), quarter,
                    median(latencies, latencies.length - quarter, latencies.length));
            System.out.printf(Locale.ROOT, "CPU of this process (the command and the fake servers) %.2f s over %.2f s:"
                    + " %.0f %% of the %d cores%n", cpuSeconds, wallSeconds,
                    100 * cpuSeconds / wallSeconds / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());
            System.out.println("load average before: " + loadBefore + ", after: " + loadAfter);
            double worstLoad = Math.max(firstOf(loadBefore), firstOf(loadAfter));
            if (!(worstLoad <= MAX_LOAD)) {
                System.out.printf(Locale.ROOT, "no verdict: the 1-minute load average was %.2f, above %.0f (other work"
                        + " on the machine); run again when it is quiet%n", worstLoad, MAX_LOAD);
            } else {
                System.out.println(ratio <= TARGET_RATIO && errors == 0 ? "verdict: within the target"
                        : "verdict: MISSED the target" + (errors > 0 ? " (calls failed)" : ""));
            }
        } finally {
            servers.forEach(server -> server.stop(0));
            serverThreads.shutdownNow();
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    private static String reference(int i) {
        return "{\"invoice\":\"INV-" + i + "\",\"total\":" + i + "}";
    }

    /**
     * A candidate that answers each example's reference, with usage, after the delay. It finds the invoice number in
     * the request's bytes and fills it into a fixed answer, with no JSON tree either way: the fakes share the cores
     * with the command, and the CPU they spend is not the command's.
     */
    private static HttpServer server(long delayMillis, ExecutorService threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            try {
                byte[] request = exchange.getRequestBody().readAllBytes();
                int invoice = lastInvoiceNumber(request);
                Thread.sleep(delayMillis);
                byte[] body = completion(invoice);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    /** The digits after the last "INV-" (the user message's; the system message names none). */
    static int lastInvoiceNumber(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("INV-") + 4;
        int end = at;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return Integer.parseInt(text, at, end, 10);
    }

    /** The chat completion the fakes answer: the reference as the message's content (JSON-escaped), with usage. */
    static byte[] completion(int invoice) {
        String content = reference(invoice).replace("\"", "\\\"");
        return ("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"}}],"
                + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12}}").getBytes(StandardCharsets.UTF_8);
    }

    private static double latency(String reportLine) {
        try {
            JsonNode line = MAPPER.readTree(reportLine);
            return line.path("latencyMs").isNumber() ? line.get("latencyMs").asDouble() : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static double median(double[] values, int from, int to) {
        double[] part = java.util.Arrays.copyOfRange(values, from, to);
        java.util.Arrays.sort(part);
        return part.length == 0 ? Double.NaN : part[part.length / 2];
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double firstOf(String load) {
        try {
            return Double.parseDouble(load.split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private EvaluateBenchmark() {
    }
}
