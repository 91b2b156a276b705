import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * Benchmark backend for time to first chunk: answers every POST with a server-sent-events chat completion stream,
 * the first event at once, the second 20 ms later, then [DONE]. Run with the application's jars on the class path:
 * java -cp 'target/quarkus-app/lib/main/*' bench/StreamingBackend.java PORT
 */
public class StreamingBackend {

    private static final String FIRST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";
    private static final String SECOND = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\" world\"},\"finish_reason\":\"stop\"}]}\n\n";

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.createHttpServer().requestHandler(request -> request.end().onComplete(done -> {
            HttpServerResponse response = request.response();
            response.setChunked(true).putHeader("content-type", "text/event-stream").write(FIRST);
            vertx.setTimer(20, t -> {
                response.write(SECOND);
                response.end("data: [DONE]\n\n");
            });
        })).listen(port, "127.0.0.1").onSuccess(server -> System.out.println("streaming backend on " + port))
                .onFailure(error -> {
                    error.printStackTrace();
                    System.exit(1);
                });
    }
}
