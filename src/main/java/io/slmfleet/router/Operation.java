package io.slmfleet.router;

/** The OpenAI operations the router forwards, with the request field each one cannot do without. */
enum Operation {
    CHAT("/chat/completions", "messages"),
    COMPLETIONS("/completions", "prompt");

    /** Path after the /v1 of the router and of the upstream's base URL. */
    final String path;
    final String requiredField;

    Operation(String path, String requiredField) {
        this.path = path;
        this.requiredField = requiredField;
    }
}
