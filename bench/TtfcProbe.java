import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Time to first chunk of a streaming chat completion, one request at a time on a keep-alive connection: from sending
 * the request to reading the first "data:" line. Prints "p50_ms p99_ms" over the measured requests.
 * java bench/TtfcProbe.java URL WARMUP REQUESTS
 */
public class TtfcProbe {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int requests = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .header("x-agent-task", "stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"task/stream\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"))
                .build();
        long[] micros = new long[requests];
        for (int i = -warmup; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long first = -1;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (first < 0 && line.startsWith("data:")) {
                        first = System.nanoTime();
                    }
                }
            }
            if (response.statusCode() != 200 || first < 0) {
                throw new IllegalStateException("status " + response.statusCode() + " without a data line from " + uri);
            }
            if (i >= 0) {
                micros[i] = (first - start) / 1000;
            }
        }
        Arrays.sort(micros);
        System.out.printf("%.3f %.3f%n", micros[requests / 2] / 1000.0, micros[(int) (requests * 0.99)] / 1000.0);
    }
}
