package io.slmfleet.common;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of a command-line tool ({@code curate}, {@code evaluate}), each {@code --name value} or
 * {@code --name=value}, in order. Only the split is here; each command reads the names it knows.
 *
 * @param options every option whose value was found, in order
 * @param problem why the last argument is not an option with a value, or null
 */
public record CommandLineOptions(List<Option> options, String problem) {

    public record Option(String name, String value) {
    }

    public static CommandLineOptions split(List<String> arguments) {
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String name = arguments.get(i);
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                options.add(new Option(name.substring(0, equals), name.substring(equals + 1)));
            } else if (i + 1 < arguments.size()) {
                options.add(new Option(name, arguments.get(++i)));
            } else {
                return new CommandLineOptions(options,
                        name.startsWith("--") ? name + " needs a value" : "unexpected argument " + name);
            }
        }
        return new CommandLineOptions(options, null);
    }
}
